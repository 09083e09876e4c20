"""The one audited read path: every page, API call, panel and PDF that shows content says so here.

Each read leaves one audit event naming what was shown: the item (``target``) or the items of a
list, the persons they concern (indexed, so the DPO's "who saw this person" finds list reads
too) and the bases the policy gave for them. Nothing here loads or stores content: ids, counts
and basis codes only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import Model

from lotse.accounts.models import Membership, User
from lotse.audit.models import AuditAction
from lotse.audit.services import record

from . import policy
from .categories import Compartment


def _is_item(obj: Model) -> bool:
    return isinstance(getattr(obj, "compartment", None), Compartment)


def _subject_of(obj: Model) -> int | None:
    """The person an item is about; for other records about one person (a consent, an
    emergency access) their ``subject_id``."""
    compartment = getattr(obj, "compartment", None)
    if isinstance(compartment, Compartment):
        field = "pk" if compartment.subject == "pk" else compartment.subject
    else:
        field = "subject_id"
    value = getattr(obj, field, None)
    return int(value) if value is not None else None


def audited_read(
    *,
    membership: Membership,
    actor: User,
    action: str,
    target: Model | None = None,
    items: Sequence[Model] = (),
    subject: int | None = None,
    subjects: Iterable[int] = (),
    decisions: policy.Decisions | None = None,
    basis: str | None = None,
    **detail: Any,
) -> None:
    """Record that ``membership`` was shown ``target`` and/or the ``items`` of a list.

    ``subject`` is the one person the read is about (a person's journal, a list filtered by
    person; else the target's person); ``subjects`` adds persons shown without an item of
    their own (a household's members, records offered for a merge). Every other person the
    items concern is indexed beside the event — whatever their number, so that a list read
    costs the same queries for one person as for fifty. ``decisions`` are the policy's
    answers the caller already has for ``items`` (else they are asked for); ``basis``
    overrides the target's basis, for targets that are no compartmented item (a household,
    a consent). ``detail``: counts and section names, never names or content.
    """
    persons = {pk for pk in (_subject_of(item) for item in items) if pk is not None}
    persons.update(int(pk) for pk in subjects)
    main_subject = (
        subject if subject is not None else (_subject_of(target) if target is not None else None)
    )
    if basis is None:
        basis = (
            policy.explain(membership, target).basis
            if target is not None and _is_item(target)
            else ""
        )
    if items:
        if decisions is None:
            decisions = policy.explain_many(membership, list(items))
        detail.setdefault("shown", [item.pk for item in items])
        detail["bases"] = sorted({decisions.of(item).basis for item in items})
    record(
        action=action,
        actor=actor,
        agency=membership.agency,
        target=target,
        subject_id=main_subject,
        subject_ids=persons,
        basis=basis,
        detail=detail or None,
    )


def audited_denial(
    *, membership: Membership, actor: User, target: Model | None, **detail: Any
) -> None:
    """A refused read of one item: forbidden or missing, the caller learns nothing, the DPO
    sees the attempt (and the person it concerned, if the id exists)."""
    record(
        action=AuditAction.ACCESS_DENIED,
        actor=actor,
        agency=membership.agency,
        target=target,
        subject_id=_subject_of(target) if target is not None else None,
        detail=detail or None,
    )
