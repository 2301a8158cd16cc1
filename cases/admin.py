"""Admin screens for reference data. Case content is not administered here, and neither are
accounts or their second factors: those change only through `cases.accounts` (GOV.UK pages),
which records every change and needs a lead's confirmation before an account reads children."""

from django.contrib import admin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from oauth2_provider.models import AccessToken, Application, Grant, IDToken, RefreshToken

from cases.models import Agency, DriftRuleSetting, Team

# django-otp registers its devices with the admin; an administrator must not be able to give
# an account a second factor whose secret they know.
# django-oauth-toolkit registers applications and tokens likewise: machine clients change only
# through `cases.clients` (secrets shown once, stored hashed; tokens never shown).
for model in (
    TOTPDevice,
    StaticDevice,
    Application,
    AccessToken,
    RefreshToken,
    Grant,
    IDToken,
):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


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
