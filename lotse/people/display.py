"""How pages name a household: by the family names the reader may see, and its address."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from lotse.accounts.models import Membership

from . import selectors
from .duplicates import Candidate, DuplicateReport
from .models import Household, HouseholdMember, Person

#: More family names than this read as a list, not a title.
TITLE_NAMES = 3


def household_title(household: Household, members: Iterable[HouseholdMember]) -> str:
    """'Haushalt Haddad', 'Haushalt Haddad / Al-Hassan' — from the members given, which are
    the ones the reader may see; the Lotse ID when none of them has a family name."""
    names = sorted({m.person.family_name for m in members if m.person.family_name})
    if not names:
        return _("Household %(id)s") % {"id": household.public_id}
    shown = " / ".join(names[:TITLE_NAMES]) + (" …" if len(names) > TITLE_NAMES else "")
    return _("Household %(names)s") % {"names": shown}


def household_address(household: Household) -> str:
    """'Berliner Straße 12, 42275 Wuppertal' ('' without street and postcode)."""
    place = " ".join(part for part in (household.postcode, household.city) if part)
    if not household.street and not household.postcode:
        return ""
    return ", ".join(part for part in (household.street, place) if part)


# --- the duplicate panel beneath a registration row ------------------------------------------


@dataclass(frozen=True)
class HouseholdLine:
    """A household an existing person lives in, as the panel names it."""

    household: Household
    title: str
    address: str
    own: bool  # registered by the reader's agency: she may be moved out of it


@dataclass(frozen=True)
class CandidateView:
    candidate: Candidate
    households: list[HouseholdLine]
    #: The answer about her other household so far: move, link, leave or ''.
    elsewhere: str = ""

    @property
    def person(self) -> Person:
        return self.candidate.person

    @property
    def may_move(self) -> bool:
        return all(line.own for line in self.households)

    @property
    def foreign_household(self) -> HouseholdLine | None:
        return next((line for line in self.households if not line.own), None)


@dataclass(frozen=True)
class DuplicatePanel:
    """What the panel shows: the candidates the reader may see (with their households), the
    hints about other agencies (names of agencies only), and the answers given so far."""

    prefix: str
    report: DuplicateReport
    candidates: list[CandidateView] = field(default_factory=list)
    answer: str = ""

    @property
    def asks(self) -> bool:
        return bool(self.candidates)


def duplicate_panel(
    *,
    membership: Membership,
    prefix: str,
    report: DuplicateReport,
    answer: str = "",
    elsewhere: dict[str, str] | None = None,
    chosen: Person | None = None,
) -> DuplicatePanel:
    """The panel for ``report``; a ``chosen`` person the check no longer finds (the names were
    changed after choosing) stays on offer, so that the answer can still be read and changed."""
    candidates = list(report.in_scope)
    if chosen is not None and all(c.person.pk != chosen.pk for c in candidates):
        candidates.insert(0, Candidate(chosen, 1.0, "chosen", ()))
    households = selectors.households_of(
        membership=membership, person_ids=[c.person.pk for c in candidates]
    )
    views = [
        CandidateView(
            candidate,
            [
                HouseholdLine(
                    household=household,
                    title=household_title(household, household.visible_members),  # type: ignore[attr-defined]
                    address=household_address(household),
                    own=household.owner_agency_id == membership.agency_id,
                )
                for household in households[candidate.person.pk]
            ],
            (elsewhere or {}).get(candidate.person.public_id, ""),
        )
        for candidate in candidates
    ]
    return DuplicatePanel(prefix, report, views, answer)
