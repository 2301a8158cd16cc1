"""A newcomer signs in to the demo using only what `make run` prints (password, then a printed
recovery code or the printed authenticator key)."""

from __future__ import annotations

import base64
import io
import random
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django_otp.oath import TOTP

from cases.models import Practitioner
from cases.seeding.partnership import partnership_reference_data
from cases.seeding.synthetic import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def printed() -> str:
    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    return out.getvalue()


def printed_for(text: str, username: str) -> tuple[list[str], str]:
    block = text.split(f"  {username} ", 1)[1]
    codes = re.search(r"recovery codes: ([a-z0-9 ]+)\n", block)
    key = re.search(r"authenticator key: ([A-Z2-7]+)\n", block)
    assert codes and key
    return codes.group(1).split(), key.group(1)


def signs_in(username: str, code: str) -> bool:
    client = Client()
    client.post("/sign-in/", {"username": username, "password": DEMO_PASSWORD})
    client.post("/sign-in/second-factor/", {"code": code})
    return client.get("/").status_code == 200


def test_every_demo_login_works_with_a_printed_code_or_the_printed_key() -> None:
    partnership_reference_data(random.Random(1), practitioners_per_team=1)
    text = printed()
    for username in ("practitioner", "lead", "manager", "analyst", "executive", "admin"):
        codes, key = printed_for(text, username)
        assert len(codes) == 5
        assert signs_in(username, codes[0])
    codes, key = printed_for(text, "lead")
    app_code = f"{TOTP(base64.b32decode(key + '=' * (-len(key) % 8))).token():06d}"
    assert signs_in("lead", app_code)
    assert not signs_in("lead", codes[0])  # used once already


def test_used_up_codes_are_replaced_when_the_logins_are_printed_again() -> None:
    partnership_reference_data(random.Random(1), practitioners_per_team=1)
    codes, key = printed_for(printed(), "practitioner")
    for code in codes:
        assert signs_in("practitioner", code)
    fresh, same_key = printed_for(printed(), "practitioner")
    assert same_key == key
    assert set(fresh).isdisjoint(codes)
    assert signs_in("practitioner", fresh[0])


def test_seeded_accounts_are_confirmed_by_their_agency() -> None:
    partnership_reference_data(random.Random(1), practitioners_per_team=1)
    assert all(p.is_confirmed_for_agency for p in Practitioner.objects.exclude(agency=None))
