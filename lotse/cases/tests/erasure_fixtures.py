"""A closed, due case file with content of every kind, for the erasure tests.

The KIM leads; the Jobcenter takes part and wrote into the case too. The household:
- the head, registered by KIM and known nowhere else (erased with the case, with KIM's
  language and residence entries about them);
- the partner, registered by KIM, about whom the Jugendamt keeps a note outside the case
  (kept: another agency's record must not lose its person);
- the child, registered by the Jugendamt (kept: not KIM's to erase).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.apps import apps
from django.utils import timezone

from lotse.accounts.models import Agency, User
from lotse.accounts.tests.factories import acting
from lotse.cases.models import (
    Assessment,
    Case,
    CaseConference,
    CaseHandover,
    CaseParticipant,
    CasePhaseChange,
    ConferenceAttendee,
    ConferenceDecision,
    ConferenceMinute,
    JournalEntry,
    Phase,
    UnmetNeed,
)
from lotse.cases.services import case_open, goal_create, journal_entry_create, measure_create
from lotse.consent.categories import DataCategory
from lotse.core.dates import years_before
from lotse.people.models import Household, Person
from lotse.people.tests.factories import (
    HouseholdFactory,
    PersonFactory,
    PersonLanguageFactory,
    ResidenceStatusFactory,
)
from lotse.referrals.models import Referral, ReferralEvent
from lotse.scheduling.models import (
    Appointment,
    AppointmentAgency,
    AppointmentParticipant,
    Task,
    TaskComment,
)

#: Content written into the case: none of it may survive anywhere, the audit trail included.
CONTENT = (
    "Inhalt-Notiz-KIM Wohnungssuche",
    "Inhalt-Notiz-Jobcenter Bewerbung",
    "Inhalt-Einschaetzung Schulden",
    "Inhalt-Ziel Ausbildung",
    "Inhalt-Massnahme Sprachkurs",
    "Inhalt-Bedarf Abendkurs",
    "Inhalt-Protokoll Konferenz",
    "Inhalt-Beschluss Bewerbung",
    "Inhalt-Aufgabe Unterlagen",
    "Inhalt-Kommentar Rueckruf",
    "Inhalt-Termin Anerkennung",
    "Inhalt-Weiterleitung Beratung",
    "Inhalt-Rueckmeldung angenommen",
)
HEAD_NAME = "Erasmus-Loeschbar"
PARTNER_NAME = "Bleibt-Bekannt"
CHILD_NAME = "Jugendamtskind"


@dataclass
class DueCase:
    case: Case
    household: Household
    head: Person
    partner: Person
    child: Person


def close_long_ago(case: Case, *, years: int = 4) -> Case:
    """Close the case ``years`` ago (the retention period is three by default)."""
    closed_on = years_before(timezone.localdate(), years)
    Case.objects.filter(pk=case.pk).update(
        phase=Phase.CLOSED, closed_on=closed_on, closure_reason="goals_reached"
    )
    CasePhaseChange.objects.create(
        case=case,
        from_phase=Phase.IMPLEMENTATION,
        to_phase=Phase.CLOSED,
        closure_reason="goals_reached",
        changed_by=case.lead_user,
        agency=case.lead_agency,
    )
    case.refresh_from_db()
    return case


def simple_due_case(lead: User, agency: Agency, *, name: str = "Einzeln") -> Case:
    """A due case of one person, registered by the lead agency and known nowhere else."""
    person = PersonFactory.create(owner_agency=agency, family_name=name)
    household = HouseholdFactory.create(owner_agency=agency, members=[person])
    case = case_open(household=household, membership=acting(lead), actor=lead)
    return close_long_ago(case)


def full_due_case(anna: User, cem: User, ben: User, agencies: object) -> DueCase:
    kim: Agency = agencies.kim  # type: ignore[attr-defined]
    jc: Agency = agencies.jobcenter  # type: ignore[attr-defined]
    ja: Agency = agencies.jugendamt  # type: ignore[attr-defined]
    head = PersonFactory.create(owner_agency=kim, family_name=HEAD_NAME)
    partner = PersonFactory.create(owner_agency=kim, family_name=PARTNER_NAME)
    child = PersonFactory.create(owner_agency=ja, family_name=CHILD_NAME)
    household = HouseholdFactory.create(owner_agency=kim, members=[head, partner, child])
    PersonLanguageFactory.create(person=head, owner_agency=kim, language="ar")
    ResidenceStatusFactory.create(person=head, owner_agency=kim)
    # The Jugendamt's own note about the partner, outside the case: keeps the partner.
    JournalEntry.objects.create(
        subject=partner, owner_agency=ja, category=DataCategory.WORK, text="JA", author=ben
    )
    lead = acting(anna)
    case = case_open(household=household, membership=lead, actor=anna)
    CaseParticipant.objects.create(case=case, agency=jc, contact=cem)
    now = timezone.now()
    journal_entry_create(
        subject=head,
        kind="talk",
        category=DataCategory.HOUSING,
        text=CONTENT[0],
        membership=lead,
        actor=anna,
        case=case,
    )
    JournalEntry.objects.create(
        subject=head,
        owner_agency=jc,
        category=DataCategory.WORK,
        text=CONTENT[1],
        author=cem,
        case=case,
    )
    assessment = Assessment.objects.create(
        case=case,
        subject=head,
        owner_agency=kim,
        category=DataCategory.FINANCES,
        author=anna,
        domain="finances",
        need=2,
        situation=CONTENT[2],
    )
    (goal,) = goal_create(
        case=case,
        subjects=[head],
        domain="work",
        text=CONTENT[3],
        responsible_agency=kim,
        membership=lead,
        actor=anna,
    )
    measure_create(
        case=case,
        goal_group=goal.group,
        text=CONTENT[4],
        responsible_agency=kim,
        membership=lead,
        actor=anna,
    )
    UnmetNeed.objects.create(
        case=case,
        subject=head,
        owner_agency=kim,
        category=DataCategory.CASE_PLAN,
        author=anna,
        assessment=assessment,
        domain="finances",
        note=CONTENT[5],
    )
    conference = CaseConference.objects.create(case=case, scheduled_at=now, organised_by=anna)
    conference.agencies.set([jc])
    ConferenceAttendee.objects.create(conference=conference, person=head)
    ConferenceMinute.objects.create(
        case=case,
        conference=conference,
        subject=head,
        owner_agency=kim,
        category=DataCategory.WORK,
        author=anna,
        topic="work",
        text=CONTENT[6],
    )
    ConferenceDecision.objects.create(
        case=case,
        conference=conference,
        subject=head,
        owner_agency=kim,
        category=DataCategory.CASE_PLAN,
        author=anna,
        text=CONTENT[7],
        responsible_agency=jc,
        due_date=now.date(),
    )
    task = Task.objects.create(
        subject=head,
        owner_agency=jc,
        category=DataCategory.CASE_PLAN,
        due_on=now.date(),
        case=case,
        title=CONTENT[8],
        created_by=cem,
    )
    TaskComment.objects.create(task=task, author=cem, text=CONTENT[9])
    appointment = Appointment.objects.create(
        subject=head,
        owner_agency=kim,
        category=DataCategory.CASE_PLAN,
        case=case,
        starts_at=now,
        ends_at=now + timedelta(hours=1),
        purpose=CONTENT[10],
        created_by=anna,
    )
    AppointmentAgency.objects.create(appointment=appointment, agency=jc)
    AppointmentParticipant.objects.create(appointment=appointment, person=head)
    appointment.staff.add(anna)
    referral = Referral.objects.create(
        subject=head,
        owner_agency=kim,
        category=DataCategory.CASE_PLAN,
        case=case,
        to_agency=jc,
        message=CONTENT[11],
        sent_by=anna,
        status="accepted",
        feedback=CONTENT[12],
    )
    ReferralEvent.objects.create(referral=referral, status="sent", agency=kim, by=anna)
    ReferralEvent.objects.create(referral=referral, status="accepted", agency=jc, by=cem)
    CaseHandover.objects.create(
        case=case, from_agency=kim, to_agency=jc, reason="Umzug", proposed_by=anna, state="declined"
    )
    return DueCase(
        case=close_long_ago(case), household=household, head=head, partner=partner, child=child
    )


def row_counts() -> dict[str, int]:
    """Rows per model of every app (auto-created tables such as M2M through rows included)."""
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models(include_auto_created=True)
    }
