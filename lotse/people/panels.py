"""Sections that other domains add to the person and household pages.

The pages belong to ``people``; journal entries, consents and cases live in apps that depend
on ``people``, not the other way round. Each registers a *provider* when it loads
(``AppConfig.ready``): a function that, given the reader and the person or household, reads
what its section shows (through the access policy) and returns a :class:`Panel`. The page
collects the panels, renders them and records **one** audit event naming everything the page
showed — nothing writes audit events while a template renders.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.db.models import Model
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from lotse.accounts.models import Membership
from lotse.consent import policy

from .models import Household, Person


@dataclass
class Panel:
    """One section: its template and context, and what it showed for the page's audit event.

    ``items`` are the compartmented items shown (with the policy's ``decisions`` for them, if
    the provider has them already); ``subjects`` further persons named without an item of
    their own; ``detail`` counts for the audit event, never names or content.
    """

    template: str
    context: dict[str, Any]
    items: Sequence[Model] = ()
    decisions: policy.Decisions | None = None
    subjects: Sequence[int] = ()
    detail: dict[str, int] = field(default_factory=dict)

    def render(self, request: HttpRequest) -> SafeString:
        return SafeString(render_to_string(self.template, self.context, request=request))


class PersonPanelProvider(Protocol):
    def __call__(
        self, *, request: HttpRequest, membership: Membership, person: Person
    ) -> Panel | None: ...


class HouseholdPanelProvider(Protocol):
    def __call__(
        self, *, request: HttpRequest, membership: Membership, household: Household
    ) -> Panel | None: ...


_PERSON_PANELS: list[PersonPanelProvider] = []
_HOUSEHOLD_PANELS: list[HouseholdPanelProvider] = []


def register_person_panel(provider: PersonPanelProvider) -> None:
    if provider not in _PERSON_PANELS:
        _PERSON_PANELS.append(provider)


def register_household_panel(provider: HouseholdPanelProvider) -> None:
    if provider not in _HOUSEHOLD_PANELS:
        _HOUSEHOLD_PANELS.append(provider)


def person_panels(*, request: HttpRequest, membership: Membership, person: Person) -> list[Panel]:
    panels = (p(request=request, membership=membership, person=person) for p in _PERSON_PANELS)
    return [panel for panel in panels if panel is not None]


def household_panels(
    *, request: HttpRequest, membership: Membership, household: Household
) -> list[Panel]:
    panels = (
        p(request=request, membership=membership, household=household) for p in _HOUSEHOLD_PANELS
    )
    return [panel for panel in panels if panel is not None]


@dataclass(frozen=True)
class PanelReads:
    """What a page's panels showed, merged for its one audit event."""

    items: list[Model]
    decisions: policy.Decisions
    subjects: list[int]
    detail: dict[str, int]


def panel_reads(membership: Membership, panels: Sequence[Panel]) -> PanelReads:
    items: list[Model] = []
    decisions = policy.Decisions()
    subjects: list[int] = []
    detail: dict[str, int] = {}
    for panel in panels:
        items.extend(panel.items)
        if panel.items:
            decisions.update(panel.decisions or policy.explain_many(membership, panel.items))
        subjects.extend(panel.subjects)
        detail.update(panel.detail)
    return PanelReads(items, decisions, subjects, detail)
