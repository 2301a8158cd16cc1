"""A small demo delivery plan, so a new installation shows one. Registered as a seed step; it
adds the plan once (with the first batch of children) and never again."""

from __future__ import annotations

import datetime

from django.db import transaction

from cases.codes import Role
from cases.models import Practitioner
from cases.seeding import SeedBatch

from .models import DeliveryAction, DeliveryActionChange, DeliveryEvidence, Priority, RagStatus

DEMO_ACTIONS = (
    (
        "R1.1",
        Priority.RECOGNISE,
        "Neglect awareness training for every agency's front-line staff, including how to "
        "record the child's own words.",
        "Partnership training lead",
        120,
        RagStatus.GREEN,
        "Four multi-agency sessions held; schools and health attended.",
    ),
    (
        "R1.2",
        Priority.RECOGNISE,
        "All agencies log neglect concerns in the tracker rather than by email.",
        "Neglect delivery group",
        60,
        RagStatus.AMBER,
        "Police and housing still send some concerns by email.",
    ),
    (
        "R2.1",
        Priority.RESPOND,
        "Graded Care Profile 2 used for every early-help family where neglect is a concern, "
        "repeated at six months.",
        "Early help service manager",
        180,
        RagStatus.AMBER,
        "",
    ),
    (
        "R2.2",
        Priority.RESPOND,
        "Supervision audit of drift and start-again syndrome in child-in-need cases.",
        "Principal social worker",
        -20,
        RagStatus.RED,
        "Audit delayed by staffing; new date to be agreed.",
    ),
    (
        "M3.1",
        Priority.MAKE_A_DIFFERENCE,
        "Quarterly neglect dashboard reported to the partnership executive.",
        "Partnership business manager",
        30,
        RagStatus.COMPLETE,
        "Dashboards built nightly; first quarterly report presented.",
    ),
    (
        "M3.2",
        Priority.MAKE_A_DIFFERENCE,
        "Reduce re-referrals within 12 months for neglect by a tenth over two years.",
        "Head of children's social care",
        540,
        RagStatus.GREEN,
        "",
    ),
)


def seed_delivery_plan(batch: SeedBatch) -> None:
    # Once per seed: on its first batch, unless the partnership already has a plan.
    if batch.number > 0 or DeliveryAction.objects.exists():
        return
    author = (
        Practitioner.objects.filter(role__in=(Role.ANALYST, Role.EXECUTIVE)).order_by("pk").first()
    )
    if author is None:
        return
    with transaction.atomic():
        for reference, priority, activity, responsible, due_in, rag, evidence in DEMO_ACTIONS:
            action = DeliveryAction.objects.create(
                reference=reference,
                priority=priority,
                activity=activity,
                responsible=responsible,
                due_date=batch.today + datetime.timedelta(days=due_in),
                rag_status=rag,
            )
            DeliveryActionChange.objects.create(
                action=action, changed_by=author, kind="created", changes={}
            )
            if evidence:
                DeliveryEvidence.objects.create(
                    action=action,
                    recorded_on=batch.today - datetime.timedelta(days=14),
                    text=evidence,
                    added_by=author,
                    submission_key=f"demo-{reference}",
                )
