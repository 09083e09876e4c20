"""Property tests of the access core.

A model of the rules, written from the declarations (not from the grant table), is compared
with ``visible_q`` and ``explain`` after every step of random consent / withdrawal / expiry /
legal-basis sequences: an item is visible exactly while a valid basis exists.
"""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from lotse.accounts.models import Agency
from lotse.accounts.roles import Role
from lotse.accounts.tests.factories import AgencyFactory, acting, member
from lotse.cases.models import JournalEntry
from lotse.consent import firewall, policy
from lotse.consent.categories import DataCategory
from lotse.consent.models import ConsentDeclaration, ConsentGrant, LegalBasis
from lotse.consent.services import consent_record, consent_withdraw
from lotse.consent.tests.factories import given_consent
from lotse.people.models import Person

KINDS = [
    Agency.Kind.INTEGRATION_OFFICE,
    Agency.Kind.YOUTH_WELFARE_OFFICE,
    Agency.Kind.JOBCENTER,
    Agency.Kind.FOREIGNERS_AUTHORITY,
    Agency.Kind.WELFARE_ASSOCIATION,
]
CATEGORIES = [
    DataCategory.IDENTITY,
    DataCategory.RESIDENCE,
    DataCategory.HEALTH,
    DataCategory.EDUCATION,
    DataCategory.YOUTH_WELFARE,
    DataCategory.WORK,
]


class Model:
    """The rules of DESIGN §3, evaluated from the declarations themselves."""

    def __init__(self) -> None:
        today = timezone.localdate()
        self.consents = [
            (
                {a.pk for a in declaration.recipient_agencies.all()},
                {a.pk for a in declaration.disclosing_agencies.all()},
                set(declaration.categories),
                declaration.includes_entrusted,
            )
            for declaration in ConsentDeclaration.objects.prefetch_related(
                "recipient_agencies", "disclosing_agencies"
            )
            if declaration.status == ConsentDeclaration.Status.GIVEN
            and declaration.valid_from <= today <= declaration.valid_until
        ]
        self.bases = [
            (basis.from_kind, basis.to_kind, set(basis.categories))
            for basis in LegalBasis.objects.filter(is_active=True)
        ]

    def allows(self, viewer: Agency, item: JournalEntry) -> bool:
        owner = item.owner_agency
        if owner.pk == viewer.pk:
            return True
        if item.category in firewall.blocked_categories(viewer.kind):
            return False
        for recipients, disclosing, categories, includes_entrusted in self.consents:
            if (
                viewer.pk in recipients
                and owner.pk in disclosing
                and item.category in categories
                and (includes_entrusted or not item.entrusted)
            ):
                return True
        if item.entrusted or item.category in firewall.consent_only_categories(viewer.kind):
            return False
        return any(
            source == owner.kind and to == viewer.kind and item.category in categories
            for source, to, categories in self.bases
        )


class AccessMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    @initialize()
    def city(self) -> None:
        self.agencies = [
            AgencyFactory.create(code=f"k{index}", kind=kind) for index, kind in enumerate(KINDS)
        ]
        self.members = {
            agency.pk: member(f"u{agency.pk}", agency, Role.CASEWORKER) for agency in self.agencies
        }
        self.person = Person.objects.create(
            owner_agency=self.agencies[1], given_names="Amal", family_name="Haddad"
        )
        author = self.members[self.agencies[1].pk]
        self.items = []
        for owner in self.agencies[:3]:
            for category, entrusted in itertools.product(CATEGORIES, (False, True)):
                if entrusted and owner.kind != Agency.Kind.YOUTH_WELFARE_OFFICE:
                    continue
                self.items.append(
                    JournalEntry.objects.create(
                        subject=self.person,
                        owner_agency=owner,
                        category=category,
                        entrusted=entrusted,
                        text="x",
                        author=author,
                    )
                )

    @rule(
        recipient=st.integers(0, len(KINDS) - 1),
        categories=st.sets(st.sampled_from(CATEGORIES), min_size=1, max_size=3),
        entrusted=st.booleans(),
        discloser=st.integers(0, 2),
    )
    def grant(self, recipient: int, categories: set[str], entrusted: bool, discloser: int) -> None:
        owner = self.agencies[discloser]
        recording = self.members[owner.pk]
        data = given_consent(
            recipient_agencies=[self.agencies[recipient]],
            disclosing_agencies=[owner],
            categories=sorted(categories),
            purpose="case_management",
            includes_entrusted=entrusted,
        )
        try:
            consent_record(
                subject=self.person,
                data=data,
                membership=acting(recording),
                actor=recording,
            )
        except ValidationError:
            refused = True
        else:
            refused = False
        # A consent is refused exactly when a firewall rule forbids it.
        assert refused == bool(firewall.violations(self.agencies[recipient].kind, categories))

    @rule(data=st.data())
    def withdraw(self, data: st.DataObject) -> None:
        given = list(ConsentDeclaration.objects.filter(status=ConsentDeclaration.Status.GIVEN))
        if not given:
            return
        declaration = data.draw(st.sampled_from(given))
        actor = self.members[declaration.recording_agency_id]
        consent_withdraw(
            declaration=declaration,
            reason="asked",
            membership=acting(actor),
            actor=actor,
        )

    @rule(data=st.data())
    def expire(self, data: st.DataObject) -> None:
        given = list(ConsentDeclaration.objects.filter(status=ConsentDeclaration.Status.GIVEN))
        if not given:
            return
        declaration = data.draw(st.sampled_from(given))
        yesterday = timezone.localdate() - timedelta(days=1)
        ConsentDeclaration.objects.filter(pk=declaration.pk).update(
            valid_from=yesterday - timedelta(days=30), valid_until=yesterday
        )
        ConsentGrant.objects.filter(declaration=declaration).update(
            valid_from=yesterday - timedelta(days=30), valid_until=yesterday
        )

    @rule(
        source=st.integers(0, 2),
        to=st.integers(0, len(KINDS) - 1),
        categories=st.sets(st.sampled_from(CATEGORIES), min_size=1, max_size=2),
        active=st.booleans(),
    )
    def legal_basis(self, source: int, to: int, categories: set[str], active: bool) -> None:
        # Written directly: the model must hold even for bases the register form would refuse.
        LegalBasis.objects.create(
            from_kind=self.agencies[source].kind,
            to_kind=KINDS[to],
            categories=sorted(categories),
            citation="§ test",
            is_active=active,
        )

    @invariant()
    def visible_exactly_while_a_basis_exists(self) -> None:
        if not hasattr(self, "items"):
            return
        model = Model()
        for viewer in self.agencies:
            membership = acting(self.members[viewer.pk])
            visible = set(
                JournalEntry.objects.filter(policy.visible_q(membership, JournalEntry)).values_list(
                    "pk", flat=True
                )
            )
            assert policy.count_visible(membership, JournalEntry.objects.all()) == len(visible)
            # A capped count stops in whichever part passes the cap.
            for cap in (1, 2, 3):
                assert policy.count_visible_up_to(
                    membership, JournalEntry.objects.all(), cap=cap
                ) == policy.VisibleCount(min(len(visible), cap), exact=len(visible) <= cap)
            decisions = policy.explain_many(membership, self.items)
            for item in self.items:
                expected = model.allows(viewer, item)
                assert (item.pk in visible) == expected, (
                    viewer.kind,
                    item.category,
                    item.entrusted,
                )
                assert decisions[item.pk].allowed == expected


@pytest.mark.django_db
def test_an_item_is_visible_exactly_while_a_valid_basis_exists() -> None:
    AccessMachine.TestCase.settings = settings(
        # The default profile runs a few hundred steps; `make fuzz` runs thousands of sequences.
        max_examples=settings().max_examples,
        stateful_step_count=6,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    AccessMachine.TestCase().runTest()
