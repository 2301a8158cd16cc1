"""Admin screens for reference data and users. Case content is not administered here."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import Agency, Practitioner, Team


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "agency_type"]
    list_filter = ["agency_type"]
    search_fields = ["name"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "agency"]
    list_filter = ["agency"]
    search_fields = ["name"]


@admin.register(Practitioner)
class PractitionerAdmin(UserAdmin):
    list_display = ["username", "first_name", "last_name", "agency", "team", "role", "is_active"]
    list_filter = ["role", "agency", "is_active"]
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        ("Agency and role", {"fields": ("agency", "team", "role", "job_title")}),
    )
    add_fieldsets = (
        *UserAdmin.add_fieldsets,
        ("Agency and role", {"fields": ("agency", "team", "role", "job_title")}),
    )
