"""The family's side of needs matching: need profiles built from what the reader may see.

Ages, languages, residence statuses and the district come through the access policy; what
is hidden stays unknown and never excludes an offer (``directory.matching``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from lotse.accounts.models import Membership
from lotse.directory.matching import NeedMatches, NeedProfile, PersonProfile, match_needs
from lotse.directory.models import FamilySituation
from lotse.people.access import languages_visible_to, residence_statuses_visible_to
from lotse.people.choices import LanguageLevel
from lotse.people.models import HouseholdMember

from .models import Assessment, Case, UnmetNeed
from .selectors import case_assessments

GERMAN_ENOUGH = {
    LanguageLevel.NATIVE,
    LanguageLevel.C2,
    LanguageLevel.C1,
    LanguageLevel.B2,
    LanguageLevel.B1,
}
ADULT_AGE = 18


@dataclass
class NeedRow:
    """One life domain with a need (level ≥ 2) for some members, and the offers for it."""

    domain: str
    level: int
    assessments: list[Assessment]
    result: NeedMatches
    unmet: list[UnmetNeed]


def _family_situations(ages: list[int | None]) -> tuple[str, ...]:
    children = [a for a in ages if a is not None and a < ADULT_AGE]
    adults = [a for a in ages if a is not None and a >= ADULT_AGE]
    situations: list[str] = []
    if children:
        situations.append(FamilySituation.FAMILY_WITH_CHILDREN)
        if len(adults) == 1:
            situations.append(FamilySituation.SINGLE_PARENT)
    elif len(adults) == 1:
        situations.append(FamilySituation.SINGLE_ADULT)
    return tuple(situations)


def case_needs(
    *, membership: Membership, case: Case, members: list[HouseholdMember]
) -> tuple[list[NeedRow], list[Assessment]]:
    """The needs of level ≥ 2 the member may see (latest assessment per person and domain),
    one row per domain, with the ranked offers; and the assessments read (for the audit)."""
    latest: dict[tuple[int, str], Assessment] = {}
    for assessment in case_assessments(membership=membership, case=case):
        latest.setdefault((assessment.subject_id, assessment.domain), assessment)
    needing = [a for a in latest.values() if a.need >= Assessment.Need.MEDIUM]
    persons = {m.person_id: m.person for m in members}
    person_ids = list(persons)
    today = timezone.localdate()
    languages: dict[int, list[str]] = {}
    german: set[int] = set()
    for person_id, code, level in (
        languages_visible_to(membership)
        .filter(person_id__in=person_ids)
        .order_by("person_id", "pk")
        .values_list("person_id", "language", "level")
    ):
        if code == "de":
            if level in GERMAN_ENOUGH:
                german.add(person_id)
        else:
            languages.setdefault(person_id, []).append(code)
    residence: dict[int, str] = {}
    for person_id, kind in (
        residence_statuses_visible_to(membership)
        .filter(person_id__in=person_ids)
        .order_by("person_id", "-valid_from", "-pk")
        .values_list("person_id", "kind")
    ):
        residence.setdefault(person_id, kind)
    ages = {pk: person.age_on(today) for pk, person in persons.items()}
    situations = _family_situations(list(ages.values()))
    by_domain: dict[str, list[Assessment]] = {}
    for assessment in needing:
        if assessment.subject_id in persons:
            by_domain.setdefault(assessment.domain, []).append(assessment)
    profiles = [
        NeedProfile(
            key=domain,
            domain=domain,
            level=max(a.need for a in rows),
            persons=tuple(
                PersonProfile(
                    age=ages.get(a.subject_id),
                    sex=persons[a.subject_id].sex,
                    languages=tuple(languages.get(a.subject_id, ())),
                    german=a.subject_id in german,
                    residence_kind=residence.get(a.subject_id, ""),
                )
                for a in rows
            ),
            district=case.household.district,
            family_situations=situations,
        )
        for domain, rows in sorted(by_domain.items(), key=lambda kv: -max(a.need for a in kv[1]))
    ]
    results = match_needs(profiles)
    unmet: dict[str, list[UnmetNeed]] = {}
    for mark in UnmetNeed.objects.filter(
        case=case, owner_agency=membership.agency, resolved_on__isnull=True
    ).select_related("subject"):
        unmet.setdefault(mark.domain, []).append(mark)
    rows = [
        NeedRow(
            domain=result.need.domain,
            level=result.need.level,
            assessments=by_domain[result.need.domain],
            result=result,
            unmet=unmet.get(result.need.domain, []),
        )
        for result in results
    ]
    return rows, needing
