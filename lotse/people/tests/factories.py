"""factory_boy factories of the people domain.

They write through the model (no service, no audit) but keep what services keep consistent:
``birth_year`` follows ``birth_date`` and every created person gets its search tokens.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import factory

from lotse.accounts.tests.factories import AgencyFactory
from lotse.people.choices import (
    BenefitRegime,
    BirthDatePrecision,
    HouseholdRole,
    ResidenceKind,
    Sex,
    WorkPermission,
)
from lotse.people.models import (
    DomainTransition,
    Household,
    HouseholdMember,
    Person,
    PersonLanguage,
    ResidenceStatus,
)
from lotse.people.residence import benefit_regime
from lotse.people.search import index_person_names


class PersonFactory(factory.django.DjangoModelFactory[Person]):
    class Meta:
        model = Person

    owner_agency = factory.SubFactory(AgencyFactory)
    given_names = factory.Sequence(lambda n: f"Amira{n}")
    family_name = factory.Sequence(lambda n: f"Haddad{n}")
    aliases: Any = factory.LazyFunction(list)
    native_name = ""
    birth_date = date(1990, 5, 17)
    birth_date_precision = BirthDatePrecision.EXACT
    birth_year = factory.LazyAttribute(lambda p: p.birth_date.year if p.birth_date else None)
    sex = Sex.UNSPECIFIED
    nationalities: Any = factory.LazyFunction(lambda: ["SY"])

    @classmethod
    def _create(cls, model_class: type[Person], *args: Any, **kwargs: Any) -> Person:
        person: Person = super()._create(model_class, *args, **kwargs)
        index_person_names(person)
        return person


class PersonLanguageFactory(factory.django.DjangoModelFactory[PersonLanguage]):
    class Meta:
        model = PersonLanguage

    person = factory.SubFactory(PersonFactory)
    owner_agency = factory.SelfAttribute("person.owner_agency")
    language = "ar"


class HouseholdFactory(factory.django.DjangoModelFactory[Household]):
    class Meta:
        model = Household
        skip_postgeneration_save = True

    owner_agency = factory.SubFactory(AgencyFactory)
    street = factory.Sequence(lambda n: f"Berliner Straße {n + 1}")
    postcode = "42275"
    district = "oberbarmen"

    @factory.post_generation  # type: ignore[untyped-decorator]
    def members(household: Household, create: bool, extracted: Any, **kwargs: Any) -> None:
        """``HouseholdFactory(members=[person, (person, "child"), ...])``."""
        if not create or not extracted:
            return
        for index, item in enumerate(extracted):
            person, role = item if isinstance(item, tuple) else (item, None)
            if role is None:
                role = HouseholdRole.HEAD if index == 0 else HouseholdRole.OTHER_RELATIVE
            HouseholdMember.objects.create(household=household, person=person, role=role)


class ResidenceStatusFactory(factory.django.DjangoModelFactory[ResidenceStatus]):
    class Meta:
        model = ResidenceStatus

    person = factory.SubFactory(PersonFactory)
    owner_agency = factory.SelfAttribute("person.owner_agency")
    kind = ResidenceKind.ASYLUM_PERMISSION
    paragraph = ""
    valid_from = date(2023, 1, 1)
    valid_until = None
    work_permission = WorkPermission.UNKNOWN
    benefit_regime = factory.LazyAttribute(lambda s: benefit_regime(s.kind, s.paragraph))


class DomainTransitionFactory(factory.django.DjangoModelFactory[DomainTransition]):
    class Meta:
        model = DomainTransition

    residence_status = factory.SubFactory(
        ResidenceStatusFactory,
        kind=ResidenceKind.RESIDENCE_PERMIT,
        paragraph="§ 25 Abs. 2 AufenthG",
    )
    person = factory.SelfAttribute("residence_status.person")
    owner_agency = factory.SelfAttribute("residence_status.owner_agency")
    from_regime = BenefitRegime.ASYLBLG
    to_regime = BenefitRegime.SGB_II
    effective_from = factory.SelfAttribute("residence_status.valid_from")
