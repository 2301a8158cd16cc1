"""The second factor: an authenticator app (TOTP) and single-use recovery codes (django-otp).

A session is fully signed in only after the password and then a code; the session remembers
when that last happened, so break glass can ask for both again when it is too long ago.
"""

from __future__ import annotations

import io
import time
from urllib.parse import urlencode

import django_otp
import segno
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.models import Practitioner

AUTHENTICATED_AT = "nt_authenticated_at"
RECOVERY_CODES = 10
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"


def has_authenticator(user: Practitioner) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def enrolment_device(user: Practitioner) -> TOTPDevice:
    """The unconfirmed authenticator being set up: the same secret on every visit."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)


def secret_for_typing(device: TOTPDevice) -> str:
    """The base32 secret an app asks for, in groups of four."""
    import base64

    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(device: TOTPDevice) -> SafeString:
    """The otpauth:// address as an inline SVG QR code, drawn here (no outside service)."""
    buffer = io.BytesIO()
    segno.make(device.config_url, error="m").save(
        buffer, kind="svg", xmldecl=False, svgns=True, scale=4, title="QR code for your app"
    )
    # segno writes only its own path data and the fixed title: nothing user-supplied.
    svg = buffer.getvalue().decode().replace("<svg ", '<svg role="img" focusable="false" ', 1)
    return mark_safe(svg)  # noqa: S308  # nosec B308 B703 (segno output, as above)


def recovery_codes_issue(user: Practitioner, count: int = RECOVERY_CODES) -> list[str]:
    """Replace the user's recovery codes with `count` new single-use ones; returns them."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(count)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


def code_matches(user: Practitioner, code: str) -> Device | None:
    """The device that accepts this code (a recovery code is used up), if any.

    An app's code goes only to the app and a recovery code only to the recovery codes, so
    that using one does not count as a failed attempt (and a throttling delay) on the other.
    """
    cleaned = "".join(code.split()).lower()
    if not cleaned:
        return None
    model: type[Device] = (
        TOTPDevice if cleaned.isdigit() and len(cleaned) in (6, 8) else StaticDevice
    )
    with transaction.atomic():
        for device in model.objects.filter(user=user, confirmed=True).select_for_update():
            if device.verify_token(cleaned):
                return device
    return None


def session_verified(request: HttpRequest, device: Device) -> None:
    """Mark this session as signed in with password and second factor, now."""
    django_otp.login(request, device)
    request.session[AUTHENTICATED_AT] = time.time()


def reauthenticate_url(request: HttpRequest) -> str:
    """The re-authentication page, coming back to this request's page afterwards."""
    return f"{reverse('reauthenticate')}?{urlencode({'next': request.get_full_path()})}"


def recently_authenticated(request: HttpRequest) -> bool:
    """Password and second factor given within the re-authentication window."""
    at = request.session.get(AUTHENTICATED_AT)
    if not isinstance(at, int | float):
        return False
    return time.time() - at <= settings.REAUTHENTICATE_MINUTES * 60
