"""A machine client: an agency's system that calls the API with the OAuth 2.0
client-credentials grant (django-oauth-toolkit's `Application`).

Each client acts through its own service account (`Practitioner` with `is_machine`, role
practitioner, in the client's agency), so the access policy, the lead's confirmation and the
access log apply to it exactly as to that agency's people, and the log names the client.
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from oauth2_provider.models import Application

from cases.models import Agency, Practitioner


class MachineClient(models.Model):
    name = models.CharField(max_length=100, unique=True)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="machine_clients")
    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="machine_client"
    )
    account = models.OneToOneField(
        Practitioner, on_delete=models.PROTECT, related_name="machine_client"
    )
    scopes = ArrayField(models.CharField(max_length=40), default=list)
    # Requests a minute; empty means the setting NT_CLIENT_RATE_PER_MINUTE.
    rate_per_minute = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        Practitioner, on_delete=models.PROTECT, related_name="+", null=True
    )
    secret_rotated_at = models.DateTimeField(null=True, blank=True)
    suspended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "cases"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.suspended_at is None
