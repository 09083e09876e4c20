"""Erasure after retention (§ 84 Abs. 2 SGB X, Art. 17 GDPR): the lead agency erases a due
closed case file with all its content, in one transaction; only the erasure record and the
audit trail (ids only) remain; persons known elsewhere stay."""

from __future__ import annotations

import json
import re
from io import StringIO
from typing import Any
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import ForeignObjectRel
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lotse.accounts.models import Agency
from lotse.accounts.roles import Role
from lotse.accounts.tests.factories import acting, member
from lotse.audit.models import AuditAction, AuditEvent
from lotse.audit.services import chain_lock_queries, verify_chain
from lotse.cases.erasure import CaseNotErasable, erase_case, would_erase
from lotse.cases.models import AutomaticErasure, Case, CaseErasure, JournalEntry
from lotse.cases.services import case_transition
from lotse.consent.categories import DataCategory
from lotse.consent.models import LegalBasis
from lotse.consent.tests.factories import record_directly
from lotse.core.dates import years_before
from lotse.people.models import Household, Person

from .erasure_fixtures import (
    CHILD_NAME,
    CONTENT,
    HEAD_NAME,
    PARTNER_NAME,
    close_long_ago,
    full_due_case,
    row_counts,
    simple_due_case,
)

pytestmark = pytest.mark.django_db


def _erase(case: Case, user: Any) -> Any:
    return erase_case(case=case, membership=acting(user), actor=user, expected_version=case.version)


def _diff(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {
        label: after[label] - before[label] for label in before if after[label] != before[label]
    }


# --- what is erased, what stays --------------------------------------------------------------


def test_erasure_removes_every_row_of_the_case_file_and_nothing_else(anna, cem, ben, agencies):
    due = full_due_case(anna, cem, ben, agencies)
    case = due.case
    before = row_counts()
    head_keys = due.head.name_keys.count()
    participants = case.participants.count()
    assignments = case.assignments.count()
    phase_changes = case.phase_changes.count()

    result = _erase(case, anna)

    assert _diff(before, row_counts()) == {
        "cases.Case": -1,
        "cases.CaseParticipant": -participants,
        "cases.CaseAssignment": -assignments,
        "cases.CasePhaseChange": -phase_changes,
        "cases.CaseHandover": -1,
        "cases.JournalEntry": -2,  # KIM's and the Jobcenter's notes in the case
        "cases.Assessment": -1,
        "cases.Goal": -1,
        "cases.Measure": -1,
        "cases.UnmetNeed": -1,
        "cases.CaseConference": -1,
        "cases.CaseConference_agencies": -1,
        "cases.ConferenceAttendee": -1,
        "cases.ConferenceMinute": -1,
        "cases.ConferenceDecision": -1,
        "scheduling.Task": -1,
        "scheduling.TaskComment": -1,
        "scheduling.Appointment": -1,
        "scheduling.Appointment_staff": -1,
        "scheduling.AppointmentAgency": -1,
        "scheduling.AppointmentParticipant": -1,
        "referrals.Referral": -1,
        "referrals.ReferralEvent": -2,
        # the head, known nowhere else, with KIM's master data about them
        "people.Person": -1,
        "people.PersonNameKey": -head_keys,
        "people.PersonLanguage": -1,
        "people.ResidenceStatus": -1,
        "people.HouseholdMember": -1,
        # what is kept: the erasure record and one audit event (about the three members)
        "cases.CaseErasure": 1,
        "audit.AuditEvent": 1,
        "audit.AuditSubject": 3,
    }
    assert result.counts["journal_entries"] == 2
    assert result.counts["persons"] == 1
    assert result.counts["households"] == 0


def _pointing_at_case() -> list[ForeignObjectRel]:
    return [
        rel
        for rel in Case._meta.get_fields(include_hidden=True)
        if isinstance(rel, ForeignObjectRel) and not rel.many_to_many
    ]


def test_no_row_anywhere_points_at_an_erased_case(anna, cem, ben, agencies):
    case = full_due_case(anna, cem, ben, agencies).case
    _erase(case, anna)
    for rel in _pointing_at_case():
        model: Any = rel.related_model
        assert not model._base_manager.filter(**{rel.field.attname: case.pk}).exists(), model


def test_every_table_that_points_at_a_case_is_known_to_the_erasure():
    """A new model pointing at the case must be thought through for erasure: add it to
    ``erasure._erase_content`` and here."""
    pointing = {rel.related_model._meta.label for rel in _pointing_at_case()}  # type: ignore[union-attr]
    assert pointing == {
        "cases.CasePhaseChange",
        "cases.CaseParticipant",
        "cases.CaseAssignment",
        "cases.JournalEntry",
        "cases.Assessment",
        "cases.Goal",
        "cases.Measure",
        "cases.CaseConference",
        "cases.ConferenceMinute",
        "cases.ConferenceDecision",
        "cases.CaseHandover",
        "cases.UnmetNeed",
        "scheduling.Task",
        "scheduling.Appointment",
        "referrals.Referral",
    }


def test_persons_known_elsewhere_stay_and_keep_their_household(anna, cem, ben, agencies):
    due = full_due_case(anna, cem, ben, agencies)
    _erase(due.case, anna)
    assert not Person.objects.filter(pk=due.head.pk).exists()
    # the partner: the Jugendamt's note outside the case keeps them, and the note stays
    assert Person.objects.filter(pk=due.partner.pk).exists()
    assert JournalEntry.objects.filter(subject=due.partner, owner_agency=agencies.jugendamt).count()
    # the child: registered by the Jugendamt, not KIM's to erase
    assert Person.objects.filter(pk=due.child.pk).exists()
    household = Household.objects.get(pk=due.household.pk)
    assert set(household.members.values_list("pk", flat=True)) == {due.partner.pk, due.child.pk}
    erasure = CaseErasure.objects.get()
    assert erasure.household_public_id == household.public_id


def test_a_person_known_nowhere_else_goes_with_the_household(anna, agencies):
    case = simple_due_case(anna, agencies.kim)
    person_id = case.household.members.get().pk
    household_id = case.household_id
    result = _erase(case, anna)
    assert not Person.objects.filter(pk=person_id).exists()
    assert not Household.objects.filter(pk=household_id).exists()
    erasure = CaseErasure.objects.get()
    assert erasure.household_public_id == ""  # nothing: the household is gone too
    assert result.counts["households"] == 1
    assert erasure.lead_agency == agencies.kim
    assert erasure.closed_on == case.closed_on
    assert erasure.erased_by == anna
    assert not erasure.automatic


def test_a_consent_keeps_the_person_and_the_household(anna, agencies):
    case = simple_due_case(anna, agencies.kim)
    person = case.household.members.get()
    record_directly(
        subject=person,
        recorded_by=anna,
        recording_agency=agencies.kim,
        disclosing=[agencies.kim],
        recipients=[agencies.jobcenter],
        categories=[DataCategory.IDENTITY],
    )
    _erase(case, anna)
    assert Person.objects.filter(pk=person.pk).exists()
    assert Household.objects.filter(pk=case.household_id).exists()
    assert CaseErasure.objects.get().household_public_id == case.household.public_id


# --- refusals and atomicity --------------------------------------------------------------------


def _refused(case: Case, user: Any, *, version: int | None = None) -> str:
    before = row_counts()
    with pytest.raises(CaseNotErasable) as refused:
        erase_case(
            case=case,
            membership=acting(user),
            actor=user,
            expected_version=case.version if version is None else version,
        )
    assert row_counts() == before
    return str(refused.value.code)


def test_an_open_case_is_not_erased(anna, agencies):
    case = simple_due_case(anna, agencies.kim)
    Case.objects.filter(pk=case.pk).update(phase="implementation")
    case.refresh_from_db()
    assert _refused(case, anna) == "not_closed"


def test_a_reopened_case_is_not_erased(anna, agencies):
    case = simple_due_case(anna, agencies.kim)
    case_transition(
        case=case,
        phase="intake",
        membership=acting(anna),
        actor=anna,
        expected_version=case.version,
    )
    case.refresh_from_db()
    assert _refused(case, anna) == "reopened"


def test_a_case_closed_within_the_period_is_not_erased(anna, agencies, settings):
    settings.RETENTION_YEARS = 3
    case = close_long_ago(simple_due_case(anna, agencies.kim), years=2)
    assert _refused(case, anna) == "not_due"


def test_a_stale_confirmation_is_refused(anna, agencies):
    case = simple_due_case(anna, agencies.kim)
    assert _refused(case, anna, version=case.version + 1) == "stale"


def test_a_case_is_erased_once(anna, agencies):
    case = simple_due_case(anna, agencies.kim)
    _erase(case, anna)
    assert _refused(case, anna) == "erased"
    assert CaseErasure.objects.count() == 1


def test_a_failure_midway_erases_nothing(anna, cem, ben, agencies):
    due = full_due_case(anna, cem, ben, agencies)
    before = row_counts()
    with (
        mock.patch("lotse.cases.erasure._erase_people", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        _erase(due.case, anna)
    assert row_counts() == before
    assert Case.objects.filter(pk=due.case.pk).exists()
    assert not CaseErasure.objects.exists()


# --- the audit trail ---------------------------------------------------------------------------


def test_the_erasure_is_audited_the_chain_verifies_and_no_event_holds_content(
    anna, cem, ben, agencies
):
    due = full_due_case(anna, cem, ben, agencies)
    _erase(due.case, anna)
    event = AuditEvent.objects.get(action=AuditAction.CASE_ERASED)
    assert event.actor == anna
    assert event.agency == agencies.kim
    assert event.detail["case"] == due.case.pk
    assert event.detail["counts"]["journal_entries"] == 2
    assert set(event.detail["subjects"]) == {due.head.pk, due.partner.pk, due.child.pk}
    assert verify_chain().intact
    trail = json.dumps(
        list(AuditEvent.objects.values("detail", "basis", "target_type", "target_id")),
        ensure_ascii=False,
    )
    for text in (*CONTENT, HEAD_NAME, PARTNER_NAME, CHILD_NAME):
        assert text not in trail
    record = json.dumps(list(CaseErasure.objects.values()), default=str, ensure_ascii=False)
    for text in (*CONTENT, HEAD_NAME, PARTNER_NAME, CHILD_NAME):
        assert text not in record


# --- who: the lead agency's page and the erase action ------------------------------------------


def test_the_team_lead_lists_the_agencys_due_cases_by_name_and_erases_after_confirming(
    anna, gero, cem, ben, agencies, client_for
):
    due = full_due_case(anna, cem, ben, agencies)
    client = client_for(gero)
    page = client.get(reverse("case:erasure")).content.decode()
    assert due.household.public_id in page
    assert HEAD_NAME in page
    url = reverse("case:erase", kwargs={"pk": due.case.pk})
    assert url in page
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert 'data-testid="erased-kinds"' in confirm.content.decode()
    # without ticking the confirmation nothing happens
    unconfirmed = client.post(url, {"version": due.case.version})
    assert unconfirmed.status_code == 400
    assert Case.objects.filter(pk=due.case.pk).exists()
    done = client.post(url, {"version": due.case.version, "confirm": "on"})
    assert done.status_code == 302
    assert done["Location"] == reverse("case:erasure")
    assert not Case.objects.filter(pk=due.case.pk).exists()
    assert CaseErasure.objects.get().erased_by == gero


def test_a_stale_version_on_the_page_is_refused_with_a_message(anna, agencies, client_for):
    case = simple_due_case(anna, agencies.kim)
    url = reverse("case:erase", kwargs={"pk": case.pk})
    answer = client_for(anna).post(url, {"version": case.version + 1, "confirm": "on"})
    assert answer.status_code == 400
    assert 'id="error-summary"' in answer.content.decode()
    assert Case.objects.filter(pk=case.pk).exists()


def test_a_caseworker_erases_only_the_cases_they_lead(anna, agencies, client_for):
    case = simple_due_case(anna, agencies.kim, name="Annasfall")
    karl = member("karl", agencies.kim, Role.CASEWORKER)
    client = client_for(karl)
    page = client.get(reverse("case:erasure")).content.decode()
    assert case.household.public_id not in page
    url = reverse("case:erase", kwargs={"pk": case.pk})
    assert client.get(url).status_code == 404
    assert client.post(url, {"version": case.version, "confirm": "on"}).status_code == 404
    assert (
        case.household.public_id in client_for(anna).get(reverse("case:erasure")).content.decode()
    )


def _foreign_member(kind: str, agencies: Any, anna: Any) -> Any:
    """A member of another agency: with a consent or a legal basis for the family, or none."""
    if kind == "consent":
        user = member("cem2", agencies.jobcenter, Role.TEAM_LEAD)
    elif kind == "legal_basis":
        user = member("ben2", agencies.jugendamt, Role.TEAM_LEAD)
        LegalBasis.objects.create(
            from_kind=Agency.Kind.INTEGRATION_OFFICE,
            to_kind=Agency.Kind.YOUTH_WELFARE_OFFICE,
            categories=[DataCategory.IDENTITY, DataCategory.CASE_PLAN],
            citation="§ 69 Abs. 1 Nr. 1 SGB X (test)",
        )
    else:
        user = member("dora2", agencies.abh, Role.TEAM_LEAD)
    return user


def _plain(response: Any) -> str:
    """The page without what differs from request to request (CSRF token, nonce)."""
    return re.sub(r'(value|nonce|content)="[^"]{20,}"', "", response.content.decode())


@pytest.mark.parametrize("kind", ["consent", "legal_basis", "nothing"])
def test_another_agency_cannot_erase_or_learn_that_the_case_exists(
    kind, anna, agencies, client_for
):
    case = simple_due_case(anna, agencies.kim, name="Fremdfall")
    person = case.household.members.get()
    if kind == "consent":
        record_directly(
            subject=person,
            recorded_by=anna,
            recording_agency=agencies.kim,
            disclosing=[agencies.kim],
            recipients=[agencies.jobcenter],
            categories=[DataCategory.IDENTITY, DataCategory.CASE_PLAN],
        )
    other = _foreign_member(kind, agencies, anna)
    client = client_for(other)
    page = client.get(reverse("case:erasure"))
    assert page.status_code == 200
    assert case.household.public_id not in page.content.decode()
    assert "Fremdfall" not in page.content.decode()
    url = reverse("case:erase", kwargs={"pk": case.pk})
    missing = reverse("case:erase", kwargs={"pk": case.pk + 1000})
    for method in ("get", "post"):
        existing = getattr(client, method)(url, {"version": case.version, "confirm": "on"})
        unknown = getattr(client, method)(missing, {"version": 1, "confirm": "on"})
        assert existing.status_code == unknown.status_code == 404
        assert _plain(existing) == _plain(unknown)
    assert Case.objects.filter(pk=case.pk).exists()


def test_the_dpo_sees_which_due_cases_are_erased_but_cannot_erase(
    anna, frida, agencies, client_for
):
    erased = simple_due_case(anna, agencies.kim, name="Frueher")
    erased_household = erased.household.public_id
    waiting = simple_due_case(anna, agencies.kim, name="Spaeter")
    client = client_for(frida)
    url = reverse("case:erase", kwargs={"pk": erased.pk})
    assert client.get(url).status_code == 404
    assert client.post(url, {"version": erased.version, "confirm": "on"}).status_code == 404
    assert client.get(reverse("case:erasure")).status_code == 404
    _erase(erased, anna)
    page = client.get(reverse("case:retention")).content.decode()
    assert page.count('data-testid="retention-row"') == 2
    assert waiting.household.public_id in page
    assert erased_household not in page  # erased with the household
    assert page.count('data-testid="retention-erased"') == 2
    assert "Frueher" not in page
    assert "Spaeter" not in page
    event = AuditEvent.objects.filter(action=AuditAction.RETENTION_LISTED).latest("pk")
    assert sorted(event.detail["cases"]) == sorted([erased.pk, waiting.pk])


def test_start_cards_link_the_lead_agency_and_the_dpo_to_their_lists(
    anna, gero, cem, frida, agencies, client_for
):
    simple_due_case(anna, agencies.kim)
    for user in (anna, gero):
        start = client_for(user).get(reverse("start")).content.decode()
        assert 'data-testid="start-erasure"' in start
        assert reverse("case:erasure") in start
    assert 'data-testid="start-erasure"' not in client_for(cem).get("/").content.decode()
    dpo = client_for(frida).get("/").content.decode()
    assert 'data-testid="start-erasure"' not in dpo
    assert reverse("case:retention") in dpo


def test_a_team_lead_switches_automatic_erasure_and_a_caseworker_cannot(
    anna, gero, agencies, client_for
):
    url = reverse("case:auto_erasure")
    assert client_for(anna).post(url, {"on": "on"}).status_code == 404
    assert client_for(gero).post(url, {"on": "on"}).status_code == 302
    assert AutomaticErasure.objects.filter(agency=agencies.kim).exists()
    page = client_for(gero).get(reverse("case:erasure")).content.decode()
    assert 'data-testid="automatic-on"' in page
    client_for(gero).post(url, {})
    assert not AutomaticErasure.objects.exists()
    changes = AuditEvent.objects.filter(action=AuditAction.AUTO_ERASURE_CHANGED)
    assert [event.detail["on"] for event in changes.order_by("pk")] == [True, False]


# --- the command -------------------------------------------------------------------------------


def _command(*args: str) -> str:
    out = StringIO()
    call_command("erase_due_cases", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_the_dry_run_changes_nothing_and_says_what_would_go(anna, cem, ben, agencies):
    due = full_due_case(anna, cem, ben, agencies)
    before = row_counts()
    output = _command("--dry-run", "--all")
    assert row_counts() == before
    assert f"case {due.case.pk} (kim)" in output
    assert "would erase" in output
    assert "journal_entries 2" in output
    assert would_erase(due.case).counts["persons"] == 1
    assert row_counts() == before


def test_by_default_the_command_erases_only_agencies_that_switched_it_on(anna, gero, cem, agencies):
    kim_case = simple_due_case(anna, agencies.kim)
    jc_case = simple_due_case(cem, agencies.jobcenter)
    assert "0 case files erased" in _command()
    assert Case.objects.count() == 2
    AutomaticErasure.objects.create(agency=agencies.kim, switched_on_by=gero)
    _command()
    assert not Case.objects.filter(pk=kim_case.pk).exists()
    assert Case.objects.filter(pk=jc_case.pk).exists()
    erasure = CaseErasure.objects.get()
    assert erasure.automatic
    assert erasure.erased_by is None
    _command("--agency", "jc")
    assert not Case.objects.exists()
    with pytest.raises(CommandError):
        _command("--agency", "nope")


def test_the_command_leaves_cases_that_are_not_due(anna, agencies, settings):
    settings.RETENTION_YEARS = 3
    case = close_long_ago(simple_due_case(anna, agencies.kim), years=1)
    _command("--all")
    assert Case.objects.filter(pk=case.pk).exists()


# --- pinned query counts -----------------------------------------------------------------------


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


ERASURE_LIST_QUERIES = 16 + chain_lock_queries()
RETENTION_LIST_QUERIES = 10 + chain_lock_queries()


def test_the_erasure_list_issues_a_fixed_number_of_queries(gero, anna, agencies, client_for):
    client = client_for(gero)
    url = reverse("case:erasure")
    simple_due_case(anna, agencies.kim, name="Eins")
    client.get(url)  # warm the session and caches
    one = _queries(client, url)
    for n in range(4):
        simple_due_case(anna, agencies.kim, name=f"Mehr{n}")
    many = _queries(client, url)
    assert (one, many) == (ERASURE_LIST_QUERIES, ERASURE_LIST_QUERIES)


def test_the_dpo_list_issues_a_fixed_number_of_queries(frida, anna, agencies, client_for):
    client = client_for(frida)
    url = reverse("case:retention")
    _erase(simple_due_case(anna, agencies.kim, name="Eins"), anna)
    client.get(url)
    one = _queries(client, url)
    for n in range(4):
        case = simple_due_case(anna, agencies.kim, name=f"Mehr{n}")
        if n % 2:
            _erase(case, anna)
    many = _queries(client, url)
    assert (one, many) == (RETENTION_LIST_QUERIES, RETENTION_LIST_QUERIES)


def test_the_demo_years_setting_is_what_the_page_counts_by(anna, agencies, settings):
    settings.RETENTION_YEARS = 5
    case = close_long_ago(simple_due_case(anna, agencies.kim), years=4)
    assert _refused(case, anna) == "not_due"
    assert case.closed_on is not None
    Case.objects.filter(pk=case.pk).update(closed_on=years_before(case.closed_on, 2))
    case.refresh_from_db()
    assert _erase(case, anna).counts["cases"] == 1
