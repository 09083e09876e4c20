"""Building blocks of the permission matrix (see tests/test_permission_matrix.py).

Every URL and API operation is requested by every role under four **owner cases**: the object
it targets belongs to the acting user's own agency, or to another agency (the Jugendamt) that
shares it with the acting agency by a consent, by a legal basis, or not at all. A row says for
each (role, owner case) which status the request gets; writes send valid input (JSON for the
API), so "allowed" means done and not merely "past the capability check".

Beside every answer the world holds secrets that must never reach the acting agency — a health
note and an entrusted note of the Jugendamt, a residence status it recorded, a consent between
two other agencies with a purpose text and a guardian's name — and the target person's name,
which only caseworkers of an agency that may see the person read. ``test_matrix`` asserts that
none of them appears in any answer where it must not.

Each app lists its rows in ``lotse/<app>/tests/permission_rows.py`` as ``PAGES`` (keyed by URL
name, optionally followed by " POST" for a second row of the same URL) and ``API`` (keyed by
"METHOD /api/v1/path"); the matrix test collects them all.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from lotse.accounts.models import Agency, User
from lotse.accounts.roles import Role
from lotse.accounts.tests.factories import acting, member
from lotse.cases.models import (
    Assessment,
    Case,
    CaseAssignment,
    CaseConference,
    CaseHandover,
    ConferenceDecision,
    Goal,
    JournalEntry,
    Measure,
)
from lotse.cases.services import (
    case_handover_propose,
    case_open,
    case_participant_save,
    conference_decision_record,
    conference_plan,
    goal_create,
    journal_entry_create,
    measure_create,
)
from lotse.consent.categories import DataCategory
from lotse.consent.models import BreakGlass, ConsentDeclaration, LegalBasis
from lotse.consent.services import consent_record
from lotse.consent.tests.factories import given_consent, record_directly
from lotse.people.choices import BenefitRegime, ResidenceKind
from lotse.people.models import Household, Person, PersonMerge, ResidenceStatus
from lotse.people.services import (
    HouseholdData,
    MemberData,
    PersonData,
    household_register,
    person_register,
)
from lotse.referrals.models import Referral

ANONYMOUS = "anonymous"
ROLES = ("caseworker", "team_lead", "coordinator", "dpo", "agency_admin", "system_admin")
EVERYONE = (ANONYMOUS, *ROLES)
ROLE_FIXTURES = {
    "caseworker": "anna",
    "team_lead": "gero",
    "coordinator": "emil",
    "dpo": "frida",
    "agency_admin": "ida",
    "system_admin": "hana",
}
CASEWORK = ("caseworker", "team_lead")

OWN = "own"
BY_CONSENT = "foreign_consent"
BY_LEGAL_BASIS = "foreign_legal_basis"
NO_BASIS = "foreign_no_basis"
OWNERS = (OWN, BY_CONSENT, BY_LEGAL_BASIS, NO_BASIS)
VISIBLE = (OWN, BY_CONSENT, BY_LEGAL_BASIS)

#: What the consent or the legal basis of the foreign cases opens to the acting agency.
SHARED = [DataCategory.IDENTITY, DataCategory.WORK]

# Never in any answer to the acting agency, whatever its role or basis.
SECRET_HEALTH = "Geheimnis-Gesundheit: Therapie wegen PTBS"
SECRET_ENTRUSTED = "Geheimnis-Anvertraut: die Mutter erzählte vom Streit"
SECRET_RESIDENCE = "§ 104c Geheimnis-Aufenthalt"
SECRET_GUARDIAN = "Geheimnis-Vormund Ruth"
# The purpose of a consent between two other agencies: the DPO keeps the register, nobody else.
SECRET_PURPOSE = "Geheimnis-Zweck: Psychotherapie"
# The target person's name: for caseworkers of an agency that may see the person.
GIVEN_NAME = "Zuleika"
FAMILY_NAME = "Quastenflosser"

Expect = Callable[[str, str], int]


def expect(
    *,
    ok: int = 200,
    roles: Iterable[str] = CASEWORK,
    owners: Iterable[str] = OWNERS,
    also: Mapping[str, Iterable[str]] | None = None,
    denied: int = 404,
    anonymous: int = 302,
    cases: Mapping[tuple[str, str], int] | None = None,
) -> Expect:
    """``ok`` for the ``roles`` under the ``owners`` cases (and for each role in ``also``
    under its own owner cases), ``denied`` for every other role or case, ``anonymous`` for
    visitors; ``cases`` overrides single (role, owner) pairs."""
    allowed = set(itertools.product(roles, owners))
    for role, its_owners in (also or {}).items():
        allowed |= {(role, owner) for owner in its_owners}
    overrides = dict(cases or {})

    def status(role: str, owner: str) -> int:
        if (role, owner) in overrides:
            return overrides[(role, owner)]
        if role == ANONYMOUS:
            return anonymous
        return ok if (role, owner) in allowed else denied

    return status


@dataclass(frozen=True)
class Row:
    method: str
    path: Callable[[World], str]
    expect: Expect
    data: Callable[[World], dict[str, Any]] = field(default=lambda world: {})
    #: API writes send JSON, pages send form fields.
    json: bool = False
    #: The request itself carries the target person's name (a search, a duplicate check):
    #: the answer may repeat what was typed, so the name is not checked there.
    echoes_name: bool = False
    note: str = ""


def page(
    name: str,
    *,
    expect: Expect,
    method: str = "GET",
    kwargs: Callable[[World], dict[str, Any]] | None = None,
    data: Callable[[World], dict[str, Any]] | None = None,
    query: Callable[[World], str] | None = None,
    echoes_name: bool = False,
    note: str = "",
) -> Row:
    def path(world: World) -> str:
        url = reverse(name, kwargs=kwargs(world) if kwargs else None)
        return f"{url}?{query(world)}" if query else url

    return Row(
        method=method,
        path=path,
        expect=expect,
        data=data or (lambda world: {}),
        echoes_name=echoes_name,
        note=note,
    )


def api_op(
    path: str,
    *,
    expect: Expect,
    method: str = "GET",
    path_args: Callable[[World], dict[str, Any]] | None = None,
    data: Callable[[World], dict[str, Any]] | None = None,
    query: Callable[[World], str] | None = None,
    echoes_name: bool = False,
) -> Row:
    def build(world: World) -> str:
        url = path.format(**(path_args(world) if path_args else {}))
        return f"{url}?{query(world)}" if query else url

    return Row(
        method=method,
        path=build,
        expect=expect,
        data=data or (lambda world: {}),
        json=method != "GET",
        echoes_name=echoes_name,
    )


def api_expect(**kwargs: Any) -> Expect:
    kwargs.setdefault("anonymous", 401)
    return expect(**kwargs)


class World:
    """The objects a row needs, built for one role and one owner case.

    The acting agency is the user's (KIM for most of the cast, Caritas for the agency admin,
    KIM for anonymous visitors); the foreign owner is always the Jugendamt (``ben``).
    """

    def __init__(self, *, role: str, owner: str, request: pytest.FixtureRequest) -> None:
        self.role = role
        self.owner = owner
        self.request = request
        self.agencies = request.getfixturevalue("agencies")
        self.user: User | None = (
            None if role == ANONYMOUS else request.getfixturevalue(ROLE_FIXTURES[role])
        )
        self.ben: User = request.getfixturevalue("ben")
        self._secrets()

    def fixture(self, name: str) -> Any:
        return self.request.getfixturevalue(name)

    # --- who is who ---------------------------------------------------------------------------

    @cached_property
    def agency(self) -> Agency:
        """The acting agency."""
        membership = self.user.primary_membership() if self.user is not None else None
        agency: Agency = membership.agency if membership is not None else self.agencies.kim
        return agency

    @cached_property
    def own_caseworker(self) -> User:
        """A caseworker of the acting agency, who records the agency's own objects."""
        if self.agency.pk == self.agencies.kim.pk:
            anna: User = self.fixture("anna")
            return anna
        return member(f"cw-{self.agency.code}", self.agency, Role.CASEWORKER)

    @property
    def foreign(self) -> bool:
        return self.owner != OWN

    @cached_property
    def owner_agency(self) -> Agency:
        return self.agencies.jugendamt if self.foreign else self.agency

    @cached_property
    def author(self) -> User:
        """Who records the target objects: the owning agency's caseworker."""
        return self.ben if self.foreign else self.own_caseworker

    # --- the target objects -------------------------------------------------------------------

    @cached_property
    def person(self) -> Person:
        person = person_register(
            data=PersonData(
                given_names=GIVEN_NAME,
                family_name=FAMILY_NAME,
                birth_date=date(1987, 6, 14),
                phone="+49 202 5630",
            ),
            membership=acting(self.author),
            actor=self.author,
        )
        if self.owner == BY_CONSENT:
            consent_record(
                subject=person,
                data=given_consent(
                    recipient_agencies=[self.agency],
                    categories=list(SHARED),
                    purpose="case_management",
                ),
                membership=acting(self.ben),
                actor=self.ben,
            )
        elif self.owner == BY_LEGAL_BASIS:
            LegalBasis.objects.create(
                from_kind=Agency.Kind.YOUTH_WELFARE_OFFICE,
                to_kind=self.agency.kind,
                categories=list(SHARED),
                citation="§ 69 Abs. 1 Nr. 1 SGB X (test)",
            )
        return person

    @cached_property
    def entry(self) -> JournalEntry:
        """A work note of the owning agency about the person (shared in the foreign cases)."""
        return journal_entry_create(
            subject=self.person,
            kind="talk",
            category=DataCategory.WORK,
            text="Talked about the application for recognition.",
            membership=acting(self.author),
            actor=self.author,
        )

    @cached_property
    def household(self) -> Household:
        return household_register(
            household=HouseholdData(street="Berliner Straße 1", postcode="42275"),
            members=[MemberData(person=None, role="head", existing=self.person)],
            membership=acting(self.author),
            actor=self.author,
        )

    @cached_property
    def case(self) -> Case:
        """The household's case, led by the owning agency. In the consent and legal-basis
        cases the acting agency takes part (what it sees still follows the person's basis);
        in the no-basis case it does not. In the own and no-basis cases the Jobcenter takes
        part."""
        case = case_open(
            household=self.household, membership=acting(self.author), actor=self.author
        )
        joining = {
            OWN: self.agencies.jobcenter,
            BY_CONSENT: self.agency,
            BY_LEGAL_BASIS: self.agency,
            NO_BASIS: self.agencies.jobcenter,
        }[self.owner]
        if joining.pk != case.lead_agency_id:
            case_participant_save(
                case=case,
                agency=joining,
                contact=None,
                categories=[DataCategory.WORK],
                membership=acting(self.author),
                actor=self.author,
                expected_version=case.version,
            )
            case.refresh_from_db()
        # Scenery under the case: the Jugendamt's health assessment of the person.
        Assessment.objects.create(
            case=case,
            subject=self.person,
            owner_agency=self.agencies.jugendamt,
            category=DataCategory.HEALTH,
            author=self.ben,
            domain="health",
            need=3,
            situation=SECRET_HEALTH,
        )
        return case

    @cached_property
    def goal(self) -> Goal:
        """A goal of the owning agency for the person, with one measure."""
        (goal,) = goal_create(
            case=self.case,
            subjects=[self.person],
            domain="work",
            text="Anerkennung des Abschlusses",
            responsible_agency=self.owner_agency,
            membership=acting(self.author),
            actor=self.author,
        )
        return goal

    @cached_property
    def measure(self) -> Measure:
        (measure,) = measure_create(
            case=self.case,
            goal_group=self.goal.group,
            text="Unterlagen übersetzen lassen",
            responsible_agency=self.owner_agency,
            membership=acting(self.author),
            actor=self.author,
        )
        return measure

    @cached_property
    def conference(self) -> CaseConference:
        """A planned conference of the case: the lead and the other participant attend. In
        the own case the Jobcenter has the person's consent for it, so it can be held."""
        other = self.agencies.jobcenter if self.owner in (OWN, NO_BASIS) else self.agency
        if self.owner == OWN:
            record_directly(
                subject=self.person,
                recorded_by=self.author,
                recording_agency=self.agency,
                disclosing=[self.agency],
                recipients=[self.agencies.jobcenter],
                categories=[DataCategory.CASE_PLAN, DataCategory.WORK],
                purpose="case_conference",
            )
        return conference_plan(
            case=self.case,
            scheduled_at=timezone.now(),
            agencies=[other],
            topics=["work"],
            family=[self.person],
            place="Rathaus Barmen, Raum 3",
            membership=acting(self.author),
            actor=self.author,
        )

    @cached_property
    def held_conference(self) -> CaseConference:
        conference = self.conference
        CaseConference.objects.filter(pk=conference.pk).update(status="held")
        conference.refresh_from_db()
        return conference

    @cached_property
    def decision(self) -> ConferenceDecision:
        (decision,) = conference_decision_record(
            conference=self.held_conference,
            subjects=[self.person],
            text="Bewerbungsunterlagen prüfen",
            responsible_agency=self.owner_agency,
            due_date=timezone.localdate(),
            membership=acting(self.author),
            actor=self.author,
        )
        return decision

    @cached_property
    def handover(self) -> CaseHandover:
        """The lead asks the other participant (the acting agency in the consent and
        legal-basis cases, else the Jobcenter) to take over."""
        other = self.agencies.jobcenter if self.owner in (OWN, NO_BASIS) else self.agency
        return case_handover_propose(
            case=self.case,
            to_agency=other,
            reason="Rechtskreiswechsel",
            membership=acting(self.author),
            actor=self.author,
        )

    @cached_property
    def referral(self) -> Referral:
        """A referral of the person: sent by the acting agency (own); sent by the Jugendamt
        *to* the acting agency (consent and legal-basis cases: it is the addressee); or sent
        by the Jugendamt to the Jobcenter (no basis: nothing to do with the acting agency)."""
        from lotse.referrals.services import ReferralDraft, referral_send

        if self.owner == OWN:
            recipient = (
                self.agencies.jobcenter
                if self.agency.pk != self.agencies.jobcenter.pk
                else self.agencies.caritas
            )
        elif self.owner == NO_BASIS:
            recipient = self.agencies.jobcenter
        else:
            recipient = self.agency
        if self.owner in (OWN, NO_BASIS):
            record_directly(
                subject=self.person,
                recorded_by=self.author,
                recording_agency=self.owner_agency,
                disclosing=[self.owner_agency],
                recipients=[recipient],
                categories=[DataCategory.IDENTITY, DataCategory.WORK],
                purpose="referral",
            )
        return referral_send(
            case=self.case,
            draft=ReferralDraft(
                subject=self.person,
                message="Bitte Beratung zur Anerkennung des Abschlusses.",
                categories=[DataCategory.WORK],
                to_agency=recipient,
            ),
            membership=acting(self.author),
            actor=self.author,
        )

    @cached_property
    def task(self) -> Any:
        """A task of the owning agency about the person. Tasks never leave their agency: in
        every foreign case — consent and legal basis included — the acting agency gets 404."""
        from lotse.scheduling.services import task_create

        return task_create(
            membership=acting(self.author),
            actor=self.author,
            subject=self.person,
            case=self.case,
            title="Anerkennungsbescheid anfordern",
            due_on=timezone.localdate(),
        )

    @cached_property
    def appointment(self) -> Any:
        """An appointment of the owning agency with the person, about work; in the foreign
        cases the acting agency takes part (it sees the appointment under the person's
        basis for work — not at all in the no-basis case)."""
        from datetime import datetime, time, timedelta

        from lotse.scheduling.services import AppointmentData, appointment_create

        start = timezone.make_aware(datetime.combine(timezone.localdate(), time(9, 0)))
        return appointment_create(
            membership=acting(self.author),
            actor=self.author,
            subject=self.person,
            case=self.case,
            data=AppointmentData(
                starts_at=start,
                ends_at=start + timedelta(hours=1),
                purpose="Bewerbungsunterlagen durchgehen",
                place="Neumarkt 10",
                category=DataCategory.WORK,
                agencies=[self.agency] if self.foreign else [],
            ),
        )

    @cached_property
    def assignment(self) -> CaseAssignment:
        """A caseworker of the acting agency assigned to the case as a team member."""
        return CaseAssignment.objects.create(
            case=self.case,
            agency=self.agency,
            user=self.own_caseworker,
            kind=CaseAssignment.Kind.MEMBER,
            assigned_by=self.own_caseworker,
        )

    @cached_property
    def consent(self) -> ConsentDeclaration:
        """A given consent about the person: recorded by the acting agency (own), naming it as
        recipient (consent case), or between the Jugendamt and the Jobcenter only."""
        if self.owner == OWN:
            return consent_record(
                subject=self.person,
                data=given_consent(
                    recipient_agencies=[self.agencies.jobcenter],
                    categories=[DataCategory.IDENTITY],
                    purpose="case_management",
                ),
                membership=acting(self.author),
                actor=self.author,
            )
        self.person  # noqa: B018 - builds the consent case's own consent first
        if self.owner == BY_CONSENT:
            return ConsentDeclaration.objects.filter(subject=self.person).get()
        return consent_record(
            subject=self.person,
            data=given_consent(
                recipient_agencies=[self.agencies.jobcenter],
                categories=[DataCategory.IDENTITY],
                purpose="case_management",
            ),
            membership=acting(self.ben),
            actor=self.ben,
        )

    @cached_property
    def requested_consent(self) -> ConsentDeclaration:
        """A consent asked for and not decided yet: recorded by the acting agency (own), by
        the Jugendamt naming the acting agency (consent case), or not naming it."""
        recipients = [self.agencies.jobcenter]
        if self.owner == BY_CONSENT:
            recipients = [self.agency]
        return consent_record(
            subject=self.person,
            data=given_consent(
                recipient_agencies=recipients,
                categories=[DataCategory.IDENTITY],
                purpose="case_management",
                status=ConsentDeclaration.Status.REQUESTED,
            ),
            membership=acting(self.author),
            actor=self.author,
        )

    @cached_property
    def confirmable_consent(self) -> ConsentDeclaration:
        """A given consent another agency recorded: naming the acting agency as one that
        passes its data on (own — the agency's to confirm), only as recipient (consent case),
        or not at all."""
        disclosing = [self.agencies.jugendamt]
        recipients = [self.agencies.jobcenter]
        if self.owner == OWN:
            disclosing = [self.agencies.jugendamt, self.agency]
        elif self.owner == BY_CONSENT:
            recipients = [self.agencies.jobcenter, self.agency]
        return record_directly(
            subject=self.person,
            recorded_by=self.ben,
            recording_agency=self.agencies.jugendamt,
            disclosing=disclosing,
            recipients=recipients,
            categories=[DataCategory.IDENTITY],
        )

    @cached_property
    def twins(self) -> tuple[Person, Person]:
        """The person and a second record of the same person, both of the owning agency."""
        twin = person_register(
            data=PersonData(
                given_names=GIVEN_NAME, family_name=FAMILY_NAME, birth_date=date(1987, 6, 14)
            ),
            membership=acting(self.author),
            actor=self.author,
        )
        return self.person, twin

    @cached_property
    def merge(self) -> PersonMerge:
        survivor, merged = self.twins
        proposal = PersonMerge.objects.create(
            survivor=survivor, merged=merged, reason="same passport", proposed_by=self.author
        )
        Person.objects.filter(pk=merged.pk).update(merged_into=survivor)
        return proposal

    @cached_property
    def legal_basis(self) -> LegalBasis:
        return LegalBasis.objects.create(
            from_kind=Agency.Kind.JOBCENTER,
            to_kind=Agency.Kind.SOCIAL_WELFARE_OFFICE,
            categories=[DataCategory.WORK],
            citation="§ 50 SGB II",
        )

    # --- what must never come out -------------------------------------------------------------

    def _secrets(self) -> None:
        """The Jugendamt's health and entrusted notes and residence status about the person,
        and a consent between it and the Jobcenter about a child of the family (with a
        purpose text and the guardian's name) — written straight to the tables: they are the
        scenery, not what is tested."""
        ja = self.agencies.jugendamt
        for category, entrusted, text in (
            (DataCategory.HEALTH, False, SECRET_HEALTH),
            (DataCategory.YOUTH_WELFARE, True, SECRET_ENTRUSTED),
        ):
            JournalEntry.objects.create(
                subject=self.person,
                owner_agency=ja,
                category=category,
                entrusted=entrusted,
                text=text,
                author=self.ben,
            )
        ResidenceStatus.objects.create(
            person=self.person,
            owner_agency=ja,
            kind=ResidenceKind.RESIDENCE_PERMIT,
            paragraph=SECRET_RESIDENCE,
            valid_from=date(2024, 1, 1),
            benefit_regime=BenefitRegime.ASYLBLG,
        )
        child = Person.objects.create(
            owner_agency=ja,
            given_names="Kind",
            family_name="Ohneweiteres",
            birth_date=date(2016, 2, 2),
        )
        record_directly(
            subject=child,
            recorded_by=self.ben,
            recording_agency=ja,
            disclosing=[ja],
            recipients=[self.agencies.jobcenter],
            categories=[DataCategory.HEALTH],
            purpose="other",
            purpose_text=SECRET_PURPOSE,
            given_by="guardian",
            guardian_name=SECRET_GUARDIAN,
        )

    def forbidden_texts(self, row: Row) -> list[str]:
        texts = [SECRET_HEALTH, SECRET_ENTRUSTED, SECRET_RESIDENCE, SECRET_GUARDIAN]
        if self.role != "dpo":
            texts.append(SECRET_PURPOSE)
        sees_person = self.role in CASEWORK and self.owner != NO_BASIS
        if self.role == "dpo":
            # The DPO reads the names of the persons whose consent or emergency access the DPO
            # keeps (consent.selectors.subject_names), of nobody else.
            sees_person = (
                ConsentDeclaration.objects.filter(subject=self.person).exists()
                or BreakGlass.objects.filter(subject=self.person).exists()
            )
        if not sees_person and not row.echoes_name:
            texts.append(FAMILY_NAME)
        return texts
