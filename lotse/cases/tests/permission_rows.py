"""Permission-matrix rows of the journal pages.

The person and the work note belong to the acting agency or to the Jugendamt, which shares
identity and work by consent or legal basis, or nothing. A shared person's journal shows the
shared note; the Jugendamt's health and entrusted notes never show (tests/matrix.py).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from lotse.cases.models import Assessment
from lotse.consent.categories import DataCategory
from tests.matrix import (
    BY_CONSENT,
    BY_LEGAL_BASIS,
    OWN,
    OWNERS,
    VISIBLE,
    Row,
    World,
    expect,
    page,
)


def _person(world: World) -> dict[str, Any]:
    return {"public_id": world.person.public_id}


def _talk(world: World) -> dict[str, Any]:
    return {
        "kind": "talk",
        "category": "work",
        "text": "Called about the language course.",
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
    }


PAGES: dict[str, Row] = {
    "cases:person_journal": page(
        "cases:person_journal", expect=expect(owners=VISIBLE), kwargs=_person
    ),
    "cases:entry_create": page("cases:entry_create", expect=expect(owners=VISIBLE), kwargs=_person),
    # A note of one's own about a person one may see: the shared write the journal allows.
    "cases:entry_create POST": page(
        "cases:entry_create",
        method="POST",
        expect=expect(ok=302, owners=VISIBLE),
        kwargs=_person,
        data=_talk,
    ),
    "cases:entry_detail": page(
        "cases:entry_detail",
        expect=expect(owners=VISIBLE),
        kwargs=lambda world: {"pk": world.entry.pk},
    ),
}


# --- the case -----------------------------------------------------------------------------------
# The case belongs to the owning agency (it leads); in the consent and legal-basis cases the
# acting agency takes part, in the no-basis case it does not (tests/matrix.py World.case).


def _own_need(world: World) -> Assessment:
    """A high need the acting agency assessed itself under the world's case."""
    return Assessment.objects.create(
        case=world.case,
        subject=world.person,
        owner_agency=world.agency,
        category=DataCategory.WORK,
        author=world.own_caseworker,
        domain="work",
        need=3,
    )


def _case(world: World) -> dict[str, Any]:
    return {"pk": world.case.pk}


def _household(world: World) -> dict[str, Any]:
    return {"public_id": world.household.public_id}


LEAD_ONLY = expect(owners=[OWN])
TEAM_LEAD = ("team_lead",)

PAGES |= {
    "case:my_families": page("case:my_families", expect=expect(owners=OWNERS)),
    "case:team": page("case:team", expect=expect(roles=TEAM_LEAD, owners=OWNERS)),
    # The DPO's list of closed cases due for erasure: the frame only, for the DPO alone.
    "case:retention": page("case:retention", expect=expect(roles=("dpo",), owners=OWNERS)),
    "case:open": page("case:open", expect=expect(owners=VISIBLE), kwargs=_household),
    # Any agency that may see the household may open its case and lead it.
    "case:open POST": page(
        "case:open",
        method="POST",
        expect=expect(ok=302, owners=VISIBLE),
        kwargs=_household,
        data=lambda world: {"came_via": "self"},
    ),
    "case:detail": page("case:detail", expect=expect(owners=VISIBLE), kwargs=_case),
    # Only the lead agency steers: a participant gets 404 as if the case did not exist.
    "case:transition": page(
        "case:transition",
        method="POST",
        expect=expect(ok=302, owners=[OWN]),
        kwargs=_case,
        data=lambda world: {"phase": "closed", "reason": "other", "version": world.case.version},
    ),
    "case:participant": page("case:participant", expect=LEAD_ONLY, kwargs=_case),
    "case:participant POST": page(
        "case:participant",
        method="POST",
        expect=expect(ok=302, owners=[OWN]),
        kwargs=_case,
        data=lambda world: {
            "agency": world.agencies.caritas.code,
            "categories": ["case_plan"],
            "version": world.case.version,
        },
    ),
    "case:participant_leave": page(
        "case:participant_leave",
        method="POST",
        expect=expect(ok=302, owners=[OWN]),
        kwargs=lambda world: {"pk": world.case.pk, "code": world.agencies.jobcenter.code},
        data=lambda world: {"version": world.case.version},
    ),
    "case:lead": page("case:lead", expect=LEAD_ONLY, kwargs=_case),
    "case:lead POST": page(
        "case:lead",
        method="POST",
        expect=expect(ok=302, owners=[OWN]),
        kwargs=_case,
        data=lambda world: {
            "user": world.own_caseworker.username,
            "version": world.case.version,
        },
    ),
    # Each agency's team lead assigns the agency's own staff to a case it takes part in.
    "case:assign": page(
        "case:assign", expect=expect(roles=TEAM_LEAD, owners=VISIBLE), kwargs=_case
    ),
    "case:assign POST": page(
        "case:assign",
        method="POST",
        expect=expect(ok=302, roles=TEAM_LEAD, owners=VISIBLE),
        kwargs=_case,
        data=lambda world: {"user": world.own_caseworker.username, "kind": "member"},
    ),
    "case:assignment_end": page(
        "case:assignment_end",
        method="POST",
        expect=expect(ok=302, roles=TEAM_LEAD, owners=VISIBLE),
        kwargs=lambda world: {"pk": world.assignment.pk},
    ),
}


# --- content under the case: each participant writes its own, changes only its own -----------


def _goal(world: World) -> dict[str, Any]:
    return {"pk": world.case.pk, "group": world.goal.group}


def _measure(world: World) -> dict[str, Any]:
    return {"pk": world.case.pk, "group": world.measure.group}


def _today() -> str:
    return timezone.localdate().isoformat()


PAGES |= {
    "case:assessment_new": page("case:assessment_new", expect=expect(owners=VISIBLE), kwargs=_case),
    "case:assessment_new POST": page(
        "case:assessment_new",
        method="POST",
        expect=expect(ok=302, owners=VISIBLE),
        kwargs=_case,
        data=lambda world: {
            "person": world.person.public_id,
            "domain": "work",
            "need": "2",
            "assessed_on": _today(),
        },
    ),
    "case:goal_new": page("case:goal_new", expect=expect(owners=VISIBLE), kwargs=_case),
    "case:goal_new POST": page(
        "case:goal_new",
        method="POST",
        expect=expect(ok=302, owners=VISIBLE),
        kwargs=_case,
        data=lambda world: {
            "subjects": [world.person.public_id],
            "domain": "work",
            "text": "Bewerbungstraining",
            "responsible_agency": world.agency.code,
        },
    ),
    # Seeing a goal is not owning it: only the agency that recorded it changes it.
    "case:goal_edit": page("case:goal_edit", expect=LEAD_ONLY, kwargs=_goal),
    "case:goal_edit POST": page(
        "case:goal_edit",
        method="POST",
        expect=expect(ok=302, owners=[OWN]),
        kwargs=_goal,
        data=lambda world: {
            "text": "Anerkennung des Abschlusses",
            "attainment": "1",
            "version": world.goal.version,
        },
    ),
    "case:measure_new": page("case:measure_new", expect=LEAD_ONLY, kwargs=_goal),
    "case:measure_new POST": page(
        "case:measure_new",
        method="POST",
        expect=expect(ok=302, owners=[OWN]),
        kwargs=_goal,
        data=lambda world: {"text": "Termin beim Amt", "responsible_agency": world.agency.code},
    ),
    "case:measure_edit": page("case:measure_edit", expect=LEAD_ONLY, kwargs=_measure),
    "case:measure_edit POST": page(
        "case:measure_edit",
        method="POST",
        expect=expect(ok=302, owners=[OWN]),
        kwargs=_measure,
        data=lambda world: {"status": "done", "version": world.measure.version},
    ),
    "case:entry_new": page("case:entry_new", expect=expect(owners=VISIBLE), kwargs=_case),
    "case:entry_new POST": page(
        "case:entry_new",
        method="POST",
        expect=expect(ok=302, owners=VISIBLE),
        kwargs=_case,
        data=lambda world: {
            "subjects": [world.person.public_id],
            "kind": "phone_call",
            "category": "work",
            "text": "Termin bestätigt.",
        },
    ),
    "case:timeline": page("case:timeline", expect=expect(owners=VISIBLE), kwargs=_case),
    "case:matching": page("case:matching", expect=expect(owners=VISIBLE), kwargs=_case),
    "case:need_unmet": page(
        "case:need_unmet",
        method="POST",
        expect=expect(ok=302, owners=VISIBLE),
        kwargs=_case,
        data=lambda world: {"assessment": _own_need(world).pk, "note": "Kein Kurs am Abend"},
    ),
    "case:plan_pdf": page("case:plan_pdf", expect=expect(owners=VISIBLE), kwargs=_case),
}


# --- conferences: the lead plans, holds and writes; attending agencies read -------------------


def _conference(world: World) -> dict[str, Any]:
    return {"pk": world.conference.pk}


def _held(world: World) -> dict[str, Any]:
    return {"pk": world.held_conference.pk}


PAGES |= {
    "case:conference_new": page("case:conference_new", expect=LEAD_ONLY, kwargs=_case),
    "case:conference_new POST": page(
        "case:conference_new",
        method="POST",
        expect=expect(ok=302, owners=[OWN]),
        kwargs=_case,
        data=lambda world: {
            "scheduled_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "place": "Stadthaus",
            "agencies": [world.agencies.jobcenter.code],
            "topics": ["work"],
        },
    ),
    "case:conference": page("case:conference", expect=expect(owners=VISIBLE), kwargs=_conference),
    "case:conference_hold": page(
        "case:conference_hold",
        method="POST",
        expect=expect(ok=302, owners=[OWN]),
        kwargs=_conference,
        data=lambda world: {"version": world.conference.version},
    ),
    "case:conference_minute": page(
        "case:conference_minute",
        method="POST",
        expect=expect(ok=302, owners=[OWN]),
        kwargs=_held,
        data=lambda world: {
            "minute-subjects": [world.person.public_id],
            "minute-topic": "work",
            "minute-text": "Bewerbung besprochen.",
        },
    ),
    "case:conference_decision": page(
        "case:conference_decision",
        method="POST",
        expect=expect(ok=302, owners=[OWN]),
        kwargs=_held,
        data=lambda world: {
            "decision-subjects": [world.person.public_id],
            "decision-text": "Termin bei der Anerkennungsstelle",
            "decision-responsible_agency": world.agency.code,
            "decision-due_date": _today(),
        },
    ),
    # The decision is a plan item of the lead: the acting agency's consent (identity and
    # work for case management) does not open it, so only the lead marks it done.
    "case:decision_done": page(
        "case:decision_done",
        method="POST",
        expect=expect(ok=302, owners=[OWN]),
        kwargs=lambda world: {"pk": world.held_conference.pk, "group": world.decision.group},
    ),
    # Only the lead moves a decision's date: an attending agency — by consent or by legal
    # basis — gets 404 like one that does not take part at all.
    "case:decision_due": page(
        "case:decision_due",
        method="POST",
        expect=expect(ok=302, owners=[OWN]),
        kwargs=lambda world: {"pk": world.held_conference.pk, "group": world.decision.group},
        data=lambda world: {
            "due_date": (timezone.localdate() + timedelta(days=7)).isoformat(),
            "shown": world.decision.due_date.isoformat(),
        },
    ),
    "case:minutes_pdf": page("case:minutes_pdf", expect=expect(owners=VISIBLE), kwargs=_held),
}


# --- hand-over: the lead proposes, the receiving agency decides --------------------------------

PAGES |= {
    "case:handover": page(
        "case:handover",
        method="POST",
        expect=expect(ok=302, owners=[OWN]),
        kwargs=_case,
        data=lambda world: {"to_agency": world.agencies.jobcenter.code, "reason": "Umzug"},
    ),
    "case:handover_decide": page(
        "case:handover_decide",
        method="POST",
        expect=expect(ok=302, owners=[BY_CONSENT, BY_LEGAL_BASIS]),
        kwargs=lambda world: {"pk": world.handover.case_id},
        data=lambda world: {"decision": "accept"},
    ),
}


# --- erasure after retention: the lead agency erases its own due cases --------------------------
# The world's case, closed long enough ago to be due: led by the acting agency (own) or by the
# Jugendamt (foreign cases). Only the lead agency's team lead and the lead case manager erase;
# every other agency, the DPO and every other role get 404, as if the case did not exist.


def _due(world: World) -> dict[str, Any]:
    from lotse.cases.models import Case, Phase
    from lotse.core.dates import years_before

    Case.objects.filter(pk=world.case.pk).update(
        phase=Phase.CLOSED,
        closed_on=years_before(timezone.localdate(), 4),
        closure_reason="goals_reached",
    )
    world.case.refresh_from_db()
    return {"pk": world.case.pk}


PAGES |= {
    # Each member's own list: the agency's due cases (team lead) or those they lead.
    "case:erasure": page("case:erasure", expect=expect(owners=OWNERS)),
    "case:erase": page("case:erase", expect=LEAD_ONLY, kwargs=_due),
    "case:erase POST": page(
        "case:erase",
        method="POST",
        expect=expect(ok=302, owners=[OWN]),
        kwargs=_due,
        data=lambda world: {"version": world.case.version, "confirm": "on"},
    ),
    "case:auto_erasure": page(
        "case:auto_erasure",
        method="POST",
        expect=expect(ok=302, roles=TEAM_LEAD, owners=OWNERS),
        data=lambda world: {"on": "on"},
    ),
}
