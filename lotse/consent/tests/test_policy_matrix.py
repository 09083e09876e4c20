"""The access matrix: agency kind × category × entrusted × consent state × legal basis.

For every combination the list scope (``visible_q``), the count and the single-item decision
(``explain``) must agree with the rules of DESIGN §3, written out here once more by hand.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from lotse.accounts.models import Agency
from lotse.accounts.roles import Role
from lotse.accounts.tests.factories import AgencyFactory, acting, member
from lotse.cases.models import JournalEntry
from lotse.cases.selectors import journal_entry_list
from lotse.consent import policy
from lotse.consent.categories import DataCategory
from lotse.consent.models import ConsentGrant, LegalBasis
from lotse.consent.services import consent_record, consent_withdraw
from lotse.consent.tests.factories import given_consent
from lotse.people.models import Person

pytestmark = pytest.mark.django_db

CONSENT_STATES = ("none", "given", "withdrawn", "expired", "other_recipient", "other_category")
ABH = Agency.Kind.FOREIGNERS_AUTHORITY


def expected(viewer_kind: str, category: str, entrusted: bool, state: str, basis: bool) -> bool:
    if viewer_kind == ABH and category not in {DataCategory.IDENTITY, DataCategory.RESIDENCE}:
        return False  # health, education and everything else never reach the ABH
    if state == "given":
        return True  # the consent includes entrusted items in this matrix
    if entrusted or viewer_kind == ABH:
        return False  # § 65 SGB VIII; the ABH only by explicit consent
    return basis


@pytest.mark.parametrize(
    "viewer_kind", [k for k in Agency.Kind.values if k != "youth_welfare_office"]
)
@pytest.mark.parametrize("with_legal_basis", [False, True])
def test_matrix(viewer_kind: str, with_legal_basis: bool) -> None:
    owner = AgencyFactory.create(code="ja", kind=Agency.Kind.YOUTH_WELFARE_OFFICE)
    viewer = AgencyFactory.create(code="viewer", kind=viewer_kind)
    bystander = AgencyFactory.create(code="other", kind=Agency.Kind.WELFARE_ASSOCIATION)
    owner_user = member("owner", owner, Role.CASEWORKER)
    viewer_user = member("viewer", viewer, Role.CASEWORKER)
    if with_legal_basis:
        LegalBasis.objects.create(
            from_kind=owner.kind,
            to_kind=viewer_kind,
            categories=DataCategory.values,
            citation="§ test",
        )
    persons = {}
    for state in CONSENT_STATES:
        person = Person.objects.create(owner_agency=owner, given_names=state, family_name="X")
        persons[state] = person
        for category in DataCategory.values:
            for entrusted in (False, True):
                JournalEntry.objects.create(
                    subject=person,
                    owner_agency=owner,
                    category=category,
                    entrusted=entrusted,
                    text=f"{state}/{category}/{entrusted}",
                    author=owner_user,
                )
        if state == "none":
            continue
        allowed_for_viewer = [
            c
            for c in DataCategory.values
            if not (viewer_kind == ABH and c not in {DataCategory.IDENTITY, DataCategory.RESIDENCE})
        ]
        recipient = bystander if state == "other_recipient" else viewer
        categories: list[str] = (
            [DataCategory.CASE_PLAN.value] if state == "other_category" else allowed_for_viewer
        )
        if state == "other_category" and viewer_kind == ABH:
            categories = [DataCategory.IDENTITY.value]
        membership = acting(owner_user)
        declaration = consent_record(
            subject=person,
            data=given_consent(
                recipient_agencies=[recipient],
                categories=categories,
                purpose="case_management",
                includes_entrusted=True,
            ),
            membership=membership,
            actor=owner_user,
        )
        if state == "withdrawn":
            consent_withdraw(
                declaration=declaration, reason="asked", membership=membership, actor=owner_user
            )
        if state == "expired":
            yesterday = timezone.localdate() - timedelta(days=1)
            ConsentGrant.objects.filter(declaration=declaration).update(valid_until=yesterday)

    viewer_membership = acting(viewer_user)
    visible = set(
        JournalEntry.objects.filter(policy.visible_q(viewer_membership, JournalEntry)).values_list(
            "pk", flat=True
        )
    )
    for state, person in persons.items():
        entries = list(JournalEntry.objects.filter(subject=person))
        decisions = policy.explain_many(viewer_membership, entries)
        wanted = set()
        for entry in entries:
            category = entry.category
            if state == "other_category":
                # the consent covers another category: only that one may show
                covered = DataCategory.IDENTITY if viewer_kind == ABH else DataCategory.CASE_PLAN
                state_for_entry = "given" if category == covered else "none"
            else:
                state_for_entry = state if state in {"given", "none"} else "none"
            allow = expected(
                viewer_kind, category, entry.entrusted, state_for_entry, with_legal_basis
            )
            assert (entry.pk in visible) == allow, (state, category, entry.entrusted)
            assert decisions.of(entry).allowed == allow, (state, category, entry.entrusted)
            if allow:
                wanted.add(entry.pk)
        counted = journal_entry_list(membership=viewer_membership, person_id=person.pk).count()
        assert counted == len(wanted), state
        in_parts = policy.count_visible(
            viewer_membership, JournalEntry.objects.filter(subject=person)
        )
        assert in_parts == len(wanted), state
