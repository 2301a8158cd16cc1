"""Values in reportlab markup are text, never markup: a name cannot become a link, embed a
server file or break the export (issue 11)."""

from __future__ import annotations

import base64
import io
import re
import zlib

import pytest
from django.test import Client
from reportlab.platypus import Paragraph, SimpleDocTemplate

from cases.codes import AgencyType, Role
from cases.web.pdf import pdf_text
from tests.support import factories

PAYLOADS = [
    '<a href="https://evil.example/login">Click to verify</a>',
    '<img src="/etc/passwd">',
    "<img src=x onerror=alert(1)>",
]


def pdf_streams(pdf: bytes) -> bytes:
    """Every stream of the PDF, decompressed where reportlab compressed it."""
    out = []
    for raw in re.findall(rb"stream\r?\n(.*?)\r?\n?endstream", pdf, re.S):
        for decode in (
            lambda b: zlib.decompress(b),
            lambda b: zlib.decompress(base64.a85decode(b.strip().removesuffix(b"~>"))),
        ):
            try:
                out.append(decode(raw))
                break
            except Exception:  # noqa: S112 (not this encoding: try the next)
                continue
        else:
            out.append(raw)
    return b"\n".join(out)


def assert_plain_text(pdf: bytes, visible: str) -> None:
    assert pdf.startswith(b"%PDF")
    assert b"/URI" not in pdf and b"/Link" not in pdf and b"/Annot" not in pdf
    assert b"/Subtype /Image" not in pdf and b"/XObject" not in pdf
    assert visible.encode() in pdf_streams(pdf)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_pdf_text_keeps_markup_as_text(payload: str) -> None:
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer).build([Paragraph(pdf_text(payload))])
    assert_plain_text(buffer.getvalue(), "src=" if "img" in payload else "evil.example/login")


@pytest.mark.django_db
@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_chronology_pdf_shows_hostile_names_as_text(payload: str) -> None:
    health = factories.agency("Health", AgencyType.HEALTH)
    child = factories.child(known_to=[health], first_name=payload, last_name="Payload")
    reader = factories.practitioner(health, Role.PRACTITIONER)
    reader.first_name = payload  # the display name on the PDF
    reader.save()
    client = Client()
    client.force_login(reader)
    response = client.get(f"/children/{child.pk}/chronology.pdf")
    assert response.status_code == 200
    assert_plain_text(response.content, "Payload")
    text = pdf_streams(response.content)
    assert b"src=" in text or b"evil.example/login" in text  # the markup, shown as words
