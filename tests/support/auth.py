"""Signing in for tests: the second factor, as a person with their authenticator app would."""

from __future__ import annotations

import time
from typing import Any

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.accounts.middleware import LAST_ACTIVITY
from cases.accounts.second_factor import AUTHENTICATED_AT
from cases.models import Practitioner


def authenticator(user: Practitioner) -> TOTPDevice:
    """The user's confirmed authenticator (made now if the test built the user by hand)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Test app", confirmed=True)


def totp_code(device: TOTPDevice) -> str:
    """The code the app shows now, or the next one when this step's code was used already
    (the server accepts one step ahead and never the same step twice)."""
    device.refresh_from_db()
    generator = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    while True:
        generator.time = time.time()
        steps_ahead = max(0, device.last_t + 1 - generator.t())
        if steps_ahead <= device.tolerance:
            generator.time += steps_ahead * device.step
            return f"{generator.token():0{device.digits}d}"
        time.sleep(device.step / 3)


def mark_verified(client: Client, user: Practitioner) -> None:
    """Make the client's session one that gave the password and a code just now."""
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = authenticator(user).persistent_id
    session[AUTHENTICATED_AT] = session[LAST_ACTIVITY] = time.time()
    session.save()


def login_verified(client: Client, user: Any, backend: str | None = None) -> None:
    """force_login, then the second factor: a fully signed-in session."""
    _force_login(client, user, backend)
    mark_verified(client, user)


_force_login = Client.force_login
