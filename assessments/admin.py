"""The GCP2 framework is reference data: an authority can correct labels, age bands and load
its licensed guidance text here. Assessments are case content and are not administered here."""

from django.contrib import admin

from .models import Area, FrameworkVersion, SubArea


class AreaInline(admin.TabularInline):
    model = Area
    extra = 0
    fields = ["ordering", "code", "label", "description"]


@admin.register(FrameworkVersion)
class FrameworkVersionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "is_current", "loaded_at"]
    inlines = [AreaInline]


@admin.register(SubArea)
class SubAreaAdmin(admin.ModelAdmin):
    list_display = ["label", "area", "framework_name", "min_age_years", "max_age_years"]
    list_filter = ["area__framework", "area"]
    fields = ["area", "code", "label", "ordering", "min_age_years", "max_age_years", "guidance"]

    @admin.display(description="Framework")
    def framework_name(self, obj: SubArea) -> str:
        return obj.area.framework.name
