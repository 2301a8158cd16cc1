"""Admin screens for reference data and users. Case content is not administered here."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from cases.models import Agency, DriftRuleSetting, Practitioner, Team


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


@admin.register(DriftRuleSetting)
class DriftRuleSettingAdmin(admin.ModelAdmin):
    """The partnership changes drift thresholds, severities and which rules run, here."""

    list_display = ["code", "enabled", "severity", "thresholds", "default_thresholds"]
    list_editable = ["enabled"]
    search_fields = ["code"]

    @admin.display(description="Defaults")
    def default_thresholds(self, setting: DriftRuleSetting) -> str:
        from .drift import drift_rules

        rule = next((r for r in drift_rules() if r.code == setting.code), None)
        return str(dict(rule.default_thresholds)) if rule else "No rule has this code"

    def formfield_for_dbfield(self, db_field, request, **kwargs):  # type: ignore[no-untyped-def]
        if db_field.name == "code":
            from django import forms

            from .drift import drift_rules

            return forms.ChoiceField(
                choices=[(r.code, f"{r.code}: {r.title}") for r in drift_rules()],
                label="Rule",
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)
