"""Second factors for the synthetic demo accounts, so a newcomer signs in with only what
`make run` prints. The keys are fixed synthetic demo data, derived from the username: never use
them outside the demo."""

from __future__ import annotations

import base64
import hashlib

from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.accounts import second_factor
from cases.models import Practitioner

DEMO_RECOVERY_CODES = 5


def demo_totp_key(username: str) -> str:
    """40 hex digits (20 bytes), the same on every machine."""
    return hashlib.sha256(f"neglect-tracker-demo-totp:{username}".encode()).hexdigest()[:40]


def demo_second_factor_ensure(account: Practitioner) -> TOTPDevice:
    """The demo account's authenticator with its fixed key (created once)."""
    device = TOTPDevice.objects.filter(user=account, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=account,
            name=second_factor.APP_DEVICE_NAME,
            key=demo_totp_key(account.username),
            confirmed=True,
        )
    return device


def demo_secret(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def demo_recovery_codes(account: Practitioner) -> list[str]:
    """The account's unused recovery codes; a new set when they are all used up."""
    codes = list(
        StaticToken.objects.filter(device__user=account)
        .order_by("pk")
        .values_list("token", flat=True)
    )
    return codes or second_factor.recovery_codes_issue(account, count=DEMO_RECOVERY_CODES)
