"""The demo city's daily work: what ``kim`` finds on the start page after ``make demo``.

On kim's open story cases, relative to the day the demo is seeded: a Fiktionsbescheinigung
running out in 20 days, two appointments today (one still waiting for its interpreter) and a
joint one tomorrow, an overdue task, one due today and one next week; then the deadline run
creates the tasks of every deadline it finds. Written through the services (audited), once.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Max
from django.utils import timezone

from lotse.accounts.models import Membership, User
from lotse.cases.models import Case, CaseParticipant, Phase
from lotse.consent.categories import DataCategory
from lotse.people.choices import ResidenceKind
from lotse.people.models import HouseholdMember, Person, PersonLanguage, ResidenceStatus
from lotse.scheduling.models import Appointment, InterpreterState
from lotse.scheduling.services import (
    AppointmentData,
    appointment_create,
    run_deadlines,
    task_create,
)

#: Days until the demo permit runs out: inside the 30-day warning step.
PERMIT_DAYS = 20
GUARDIAN_AGE = 18


def _adults(case: Case, today: date) -> list[Person]:
    return [
        m.person
        for m in HouseholdMember.objects.filter(household=case.household)
        .select_related("person")
        .order_by("pk")
        if (age := m.person.age_on(today)) is None or age >= GUARDIAN_AGE
    ]


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _permit_running_out(person: Person, membership: Membership, kim: User, today: date) -> None:
    latest = ResidenceStatus.objects.filter(person=person).aggregate(last=Max("valid_from"))
    since = today - timedelta(days=70)
    if latest["last"] is not None and latest["last"] >= since:
        since = latest["last"] + timedelta(days=1)
    ResidenceStatus.objects.create(
        person=person,
        owner_agency=membership.agency,
        kind=ResidenceKind.PROVISIONAL,
        paragraph="§ 81 Abs. 4 AufenthG",
        valid_from=min(since, today),
        valid_until=today + timedelta(days=PERMIT_DAYS),
        recorded_by=kim,
    )


def load_daily_work() -> int:
    """Write kim's daily work once; the number of appointments and tasks written (0 when
    kim has no open case or the work exists already)."""
    kim = User.objects.filter(username="kim").first()
    if kim is None or Appointment.objects.filter(created_by=kim).exists():
        return 0
    membership = (
        Membership.objects.filter(user=kim, is_active=True).select_related("agency").first()
    )
    if membership is None:
        return 0
    today = timezone.localdate()
    cases = list(
        Case.objects.filter(lead_user=kim)
        .exclude(phase=Phase.CLOSED)
        .select_related("household")
        .order_by("pk")[:3]
    )
    families = [(case, adults) for case in cases if (adults := _adults(case, today))]
    if not families:
        return 0
    written = 0
    (first_case, first_adults), *others = families
    _permit_running_out(first_adults[0], membership, kim, today)

    def appointment(case: Case, person: Person, data: AppointmentData) -> None:
        nonlocal written
        appointment_create(membership=membership, actor=kim, subject=person, case=case, data=data)
        written += 1

    language = (
        PersonLanguage.objects.filter(person=first_adults[0], interpreter_needed=True)
        .exclude(language__in=("de", "deu"))
        .values_list("language", flat=True)
        .first()
    )
    appointment(
        first_case,
        first_adults[0],
        AppointmentData(
            starts_at=_at(today, 10),
            ends_at=_at(today, 11),
            purpose="Verlängerung des Aufenthalts vorbereiten",
            place="KIM, Neumarkt 10, Raum 214",
            category=DataCategory.RESIDENCE,
            interpreter_language=language or "ar",
            interpreter=InterpreterState.NEEDED,
        ),
    )
    second_case, second_adults = others[0] if others else (first_case, first_adults)
    appointment(
        second_case,
        second_adults[-1],
        AppointmentData(
            starts_at=_at(today, 14, 30),
            ends_at=_at(today, 15, 15),
            purpose="Stand der Wohnungssuche",
            place="Hausbesuch",
            category=DataCategory.HOUSING,
        ),
    )
    participant = (
        CaseParticipant.objects.filter(case=first_case, left_on__isnull=True)
        .exclude(agency=membership.agency)
        .select_related("agency")
        .first()
    )
    appointment(
        first_case,
        first_adults[0],
        AppointmentData(
            starts_at=_at(today + timedelta(days=1), 9),
            ends_at=_at(today + timedelta(days=1), 10),
            purpose="Gemeinsames Gespräch zum Integrationsplan",
            place="",
            video_link="https://video.wuppertal.example/kim-214",
            category=DataCategory.CASE_PLAN,
            agencies=[participant.agency] if participant else [],
        ),
    )
    for case, person, title, days in (
        (first_case, first_adults[0], "Mietbescheinigung beim Vermieter anfordern", -3),
        (second_case, second_adults[0], "Rückruf der Grundschule wegen der Anmeldung", 0),
        (first_case, first_adults[-1], "Kita-Navigator: Anmeldung mit der Familie ausfüllen", 6),
    ):
        task_create(
            membership=membership,
            actor=kim,
            subject=person,
            case=case,
            title=title,
            due_on=today + timedelta(days=days),
        )
        written += 1
    run_deadlines(today=today)
    return written
