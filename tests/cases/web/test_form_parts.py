"""The registry of parts higher apps add to the visit and plan review forms: a lower app takes
them without importing the higher one."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from cases.web import form_parts
from cases.web.form_parts import RecordFormPart, record_form_parts, register_record_form_part
from tests.support.world import World


def test_the_visit_and_plan_review_forms_take_learnings_questionnaire(world: World) -> None:
    request = RequestFactory().get("/")
    for occasion in ("visit", "plan_review"):
        parts = record_form_parts(
            occasion, user=world.users["practitioner"], child=world.child, request=request
        )
        assert [p.key for p in parts] == ["feedback"]
        assert parts[0].template == "learning/feedback_part.html"
        assert isinstance(parts[0].form, RecordFormPart) and parts[0].form.prefix == "feedback"
    # Another recording form takes nothing it did not ask for.
    assert (
        record_form_parts(
            "referral", user=world.users["practitioner"], child=world.child, request=request
        )
        == []
    )


def test_a_part_answers_none_for_a_user_it_is_not_for(world: World) -> None:
    # The questionnaire is recorded by a practitioner of an agency; an administrator has none.
    request = RequestFactory().get("/")
    assert (
        record_form_parts("visit", user=world.users["admin"], child=world.child, request=request)
        == []
    )


def test_a_key_registered_twice_with_anything_different_fails_loudly() -> None:
    existing = form_parts._registrations["feedback"]
    with pytest.raises(ValueError, match="already registered"):
        register_record_form_part(
            "feedback", 99, existing.occasions, existing.template, existing.build
        )
    # The same registration again (a second ready()) is harmless.
    register_record_form_part(
        "feedback", existing.order, existing.occasions, existing.template, existing.build
    )
