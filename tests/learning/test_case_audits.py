"""Case audits: the reproducible stratified sample, audit grants that end with the audit and
never make a relationship, auditors blind to other agencies until moderation, and findings in
the metrics catalogue."""

from __future__ import annotations

import datetime
import subprocess
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from cases.access import children_visible_to
from cases.codes import AgencyType, GrantPurpose, NeedLevel, PrimaryNeed, Role
from cases.models import AccessGrant, AccessLogEntry, LegitimateRelationship
from learning import services
from learning.models import AuditStatus, CaseAudit
from learning.sampling import replacement_draw, sample_draw
from reporting.services import snapshot_build_run
from tests.support import factories


def test_the_same_seed_and_population_give_the_same_sample() -> None:
    population = [(i, "Child in need / A" if i % 3 else "Child protection / B") for i in range(90)]
    first = sample_draw(population=population, size=12, seed=2026)
    assert first == sample_draw(population=list(reversed(population)), size=12, seed=2026)
    assert first != sample_draw(population=population, size=12, seed=2027)
    assert len(first) == 12


def test_each_stratum_is_sampled_in_proportion() -> None:
    population = [(i, "big") for i in range(60)] + [(100 + i, "small") for i in range(30)]
    drawn = sample_draw(population=population, size=9, seed=1)
    assert sum(1 for _, s in drawn if s == "big") == 6
    assert sum(1 for _, s in drawn if s == "small") == 3


def test_a_replacement_comes_from_the_same_stratum_and_is_reproducible() -> None:
    population = [(i, "a") for i in range(10)] + [(100 + i, "b") for i in range(10)]
    drawn = {child for child, _ in sample_draw(population=population, size=4, seed=5)}
    again = replacement_draw(population=population, seed=5, stratum="b", drawn=drawn)
    assert again is not None and again >= 100 and again not in drawn
    assert again == replacement_draw(population=population, seed=5, stratum="b", drawn=drawn)


class Partnership:
    """Two agencies taking part, ten open neglect cases, a manager and two auditors."""

    def __init__(self) -> None:
        self.health = factories.agency("Audit Health", AgencyType.HEALTH)
        self.school = factories.agency("Audit School", AgencyType.EDUCATION)
        self.manager = factories.practitioner(None, Role.PARTNERSHIP_BUSINESS_MANAGER)
        self.health_lead = factories.practitioner(self.health, Role.SAFEGUARDING_LEAD)
        self.school_lead = factories.practitioner(self.school, Role.SAFEGUARDING_LEAD)
        self.children = []
        for i in range(10):
            child = factories.child(known_to=[self.health] if i < 5 else [self.school])
            factories.involvement(
                child,
                NeedLevel.CHILD_IN_NEED,
                self.health if i < 5 else self.school,
                primary_need=PrimaryNeed.N1,
            )
            self.children.append(child)

    def audit(self, size: int = 4) -> CaseAudit:
        today = timezone.localdate()
        return services.audit_create(
            manager=self.manager,
            theme="Voice of the child in neglect cases",
            starts_on=today,
            ends_on=today + datetime.timedelta(days=28),
            levels=[NeedLevel.CHILD_IN_NEED],
            neglect_only=True,
            sample_size=size,
            questions=[
                services.QuestionFields("Is the child's voice recorded?", "Their own words"),
                services.QuestionFields("Was the plan acted on?", ""),
            ],
            auditors=[self.health_lead, self.school_lead],
        )


@pytest.fixture
def partnership(db: None) -> Partnership:
    return Partnership()


def _grade_all(p: Partnership, audit: CaseAudit, auditor: object, grade: str) -> None:
    questions = list(audit.questions.all())
    for sample in audit.samples.filter(swapped_out_at__isnull=True):
        services.audit_grades_record(
            auditor=auditor,  # type: ignore[arg-type]
            sample_id=sample.pk,
            grades={q.pk: (grade, "Seen in the record") for q in questions},
        )


def test_the_draw_records_its_seed_and_population(partnership: Partnership) -> None:
    audit = partnership.audit()
    services.audit_sample_draw(manager=partnership.manager, audit_id=audit.pk, seed=42)
    audit.refresh_from_db()
    assert audit.seed == 42 and len(audit.population) == 10
    assert audit.status == AuditStatus.GRADING
    children = list(audit.samples.values_list("child_id", flat=True))
    population = [(int(c), str(s)) for c, s in audit.population]
    assert children == [c for c, _ in sample_draw(population=population, size=4, seed=42)]


def test_only_the_business_manager_sets_up_an_audit(partnership: Partnership) -> None:
    partnership.manager = partnership.health_lead
    with pytest.raises(ValidationError):
        partnership.audit()


def _agree_with_every_grade(p: Partnership, audit: CaseAudit) -> None:
    from learning.models import AuditGrade

    services.audit_moderate(
        manager=p.manager,
        audit_id=audit.pk,
        agreed={
            (g.sample_id, g.question_id, g.agency_id): g.grade
            for g in AuditGrade.objects.filter(sample__audit=audit)
        },
        worked_well="Words recorded",
        must_change="Plans drift",
    )


def test_audit_grants_open_only_the_audit_page_and_end_when_it_closes(
    partnership: Partnership,
) -> None:
    audit = partnership.audit()
    services.audit_sample_draw(manager=partnership.manager, audit_id=audit.pk, seed=3)
    relationships = LegitimateRelationship.objects.count()
    lead = partnership.health_lead
    school_only = {c.pk for c in partnership.children[5:]}
    # Two of the four come from the school's stratum: the health auditor does not know them.
    sample = audit.samples.filter(child_id__in=school_only).first()
    assert sample is not None
    grants = AccessGrant.objects.filter(practitioner=lead, purpose=GrantPurpose.AUDIT)
    assert grants.filter(expires_at__gt=timezone.now()).count() == 4
    assert not children_visible_to(user=lead).filter(pk=sample.child_id).exists()
    client = Client()
    client.force_login(lead)
    assert client.get(f"/audits/{audit.pk}/children/{sample.pk}/").status_code == 200
    assert client.get(f"/children/{sample.child_id}/").status_code == 403
    assert AccessLogEntry.objects.filter(
        practitioner=lead, child_id=sample.child_id, view_name="audit-child", break_glass=False
    ).exists()
    _grade_all(partnership, audit, partnership.health_lead, "good")
    _grade_all(partnership, audit, partnership.school_lead, "inadequate")
    _agree_with_every_grade(partnership, audit)
    services.audit_close(manager=partnership.manager, audit_id=audit.pk)
    assert not grants.filter(expires_at__gt=timezone.now()).exists()
    assert client.get(f"/audits/{audit.pk}/children/{sample.pk}/").status_code == 403
    assert LegitimateRelationship.objects.count() == relationships


def test_auditors_see_no_other_agencys_grades_before_moderation(
    partnership: Partnership,
) -> None:
    audit = partnership.audit(size=2)
    services.audit_sample_draw(manager=partnership.manager, audit_id=audit.pk, seed=9)
    sample = audit.samples.first()
    assert sample is not None
    _grade_all(partnership, audit, partnership.school_lead, "inadequate")
    client = Client()
    client.force_login(partnership.health_lead)
    before = client.get(f"/audits/{audit.pk}/children/{sample.pk}/").content.decode()
    assert "Audit School" not in before and "Inadequate</li>" not in before
    assert "Inadequate" not in client.get(f"/audits/{audit.pk}/").content.decode()
    _grade_all(partnership, audit, partnership.health_lead, "good")
    _agree_with_every_grade(partnership, audit)
    after = client.get(f"/audits/{audit.pk}/").content.decode()
    assert "Audit School" in after and "Inadequate" in after


def test_a_swapped_out_child_keeps_its_reason_and_loses_the_grant(
    partnership: Partnership,
) -> None:
    audit = partnership.audit(size=2)
    services.audit_sample_draw(manager=partnership.manager, audit_id=audit.pk, seed=11)
    out = audit.samples.first()
    assert out is not None
    new = services.audit_sample_swap(
        manager=partnership.manager, sample_id=out.pk, reason="Family moved away"
    )
    out.refresh_from_db()
    assert out.swapped_out_reason == "Family moved away" and not out.in_sample
    assert new.replaces_id == out.pk and new.stratum == out.stratum
    assert not AccessGrant.objects.filter(
        child_id=out.child_id, purpose=GrantPurpose.AUDIT, expires_at__gt=timezone.now()
    ).exists()
    with pytest.raises(ValidationError):
        services.audit_sample_swap(manager=partnership.manager, sample_id=new.pk, reason=" ")


def test_moderated_grades_roll_up_into_the_metrics_catalogue(partnership: Partnership) -> None:
    from reporting.models import SnapshotRow

    audit = partnership.audit(size=6)
    services.audit_sample_draw(manager=partnership.manager, audit_id=audit.pk, seed=1)
    _grade_all(partnership, audit, partnership.health_lead, "good")
    _grade_all(partnership, audit, partnership.school_lead, "inadequate")
    _agree_with_every_grade(partnership, audit)
    build = snapshot_build_run(trigger="command", as_at=timezone.localdate())
    rows = SnapshotRow.objects.filter(
        build=build, metric="audit_grades_good", period_type="quarter"
    )
    total = rows.get(dimension="all", period_start__lte=timezone.localdate(), numerator__gt=0)
    assert (total.numerator, total.denominator) == (12, 24)
    by_agency = {r.dimension_label: r.numerator for r in rows.filter(dimension="agency")}
    assert by_agency == {"Audit Health": 12, "Audit School": 0}
    themes = rows.filter(dimension="audit_theme").values_list("dimension_label", flat=True)
    assert "Voice of the child in neglect cases" in themes


def test_a_double_submitted_audit_is_set_up_once(partnership: Partnership) -> None:
    client = Client()
    client.force_login(partnership.manager)
    today = timezone.localdate()
    data = {
        "submission_key": "one-audit",
        "theme": "Neglect of teenagers",
        "questions": "Was the young person seen alone? | Look at each visit",
        "auditors": [partnership.health_lead.pk, partnership.school_lead.pk],
        "starts_on-day": today.day,
        "starts_on-month": today.month,
        "starts_on-year": today.year,
        "ends_on-day": today.day,
        "ends_on-month": today.month,
        "ends_on-year": today.year + 1,
        "levels": [NeedLevel.CHILD_IN_NEED],
        "sample_size": "3",
    }
    first = client.post("/audits/new/", data)
    second = client.post("/audits/new/", data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert CaseAudit.objects.count() == 1
    audit = CaseAudit.objects.get()
    assert [q.guidance for q in audit.questions.all()] == ["Look at each visit"]


def test_an_auditor_must_be_a_lead(partnership: Partnership) -> None:
    partnership.school_lead = factories.practitioner(partnership.school, Role.PRACTITIONER)
    with pytest.raises(ValidationError) as refused:
        partnership.audit()
    assert "safeguarding lead" in str(refused.value)


def test_the_audits_own_report_is_a_pdf_of_its_findings(
    partnership: Partnership, tmp_path: Path
) -> None:
    audit = partnership.audit(size=2)
    services.audit_sample_draw(manager=partnership.manager, audit_id=audit.pk, seed=8)
    first = audit.samples.first()
    assert first is not None
    services.audit_sample_swap(
        manager=partnership.manager, sample_id=first.pk, reason="Moved <b>away</b>"
    )
    _grade_all(partnership, audit, partnership.health_lead, "good")
    _grade_all(partnership, audit, partnership.school_lead, "outstanding")
    _agree_with_every_grade(partnership, audit)
    client = Client()
    client.force_login(partnership.manager)
    response = client.get(f"/audits/{audit.pk}/report.pdf")
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "audit.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert "Multi-agency case audit: Voice of the child in" in text
    assert "Moved <b>away</b>" in text  # escaped, not markup
    assert "Outstanding: 4" in text and "Good: 4" in text
