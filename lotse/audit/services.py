from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from .models import GENESIS_HASH, AuditEvent, AuditSubject

# Any constant works; it only has to be the same for every writer of the chain.
_CHAIN_LOCK_KEY = 0x10753A


def _target_fields(target: models.Model | None) -> tuple[str, str]:
    if target is None:
        return "", ""
    return target._meta.label_lower, str(target.pk)


def record(
    *,
    action: str,
    actor: Any = None,
    agency: Any = None,
    target: models.Model | None = None,
    subject_id: int | None = None,
    subject_ids: Iterable[int] = (),
    basis: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the chain. Never put names or case content into ``detail``.

    ``subject_id`` is the one person the event is about; ``subject_ids`` the persons an event
    about several concerns (the rows of a list, the matches of a hint). They are kept in the
    hashed detail and indexed in :class:`AuditSubject`, so "who saw this person" finds them.
    """
    target_type, target_id = _target_fields(target)
    subjects = sorted({int(pk) for pk in subject_ids} - {subject_id})
    detail = dict(detail or {})
    if subjects:
        detail["subjects"] = subjects
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
        last = AuditEvent.objects.order_by("-pk").values_list("hash", flat=True).first()
        event = AuditEvent(
            occurred_at=timezone.now(),
            actor=actor if actor is not None and getattr(actor, "pk", None) else None,
            agency=agency,
            action=action,
            target_type=target_type,
            target_id=target_id,
            subject_id=subject_id,
            basis=basis[:255],
            detail=detail,
            prev_hash=last or GENESIS_HASH,
        )
        event.hash = event.compute_hash()
        event.save(force_insert=True)
        if subjects:
            AuditSubject.objects.bulk_create(
                AuditSubject(event=event, subject_id=pk) for pk in subjects
            )
    return event


@dataclass(frozen=True)
class ChainVerification:
    checked: int
    first_broken_id: int | None
    reason: str = ""

    @property
    def intact(self) -> bool:
        return self.first_broken_id is None


def verify_chain(*, using: str = "default") -> ChainVerification:
    expected_prev = GENESIS_HASH
    checked = 0
    for event in AuditEvent.objects.using(using).order_by("pk").iterator(chunk_size=2000):
        checked += 1
        if event.prev_hash != expected_prev:
            return ChainVerification(checked, event.pk, "link to the previous event is broken")
        if event.compute_hash() != event.hash:
            return ChainVerification(checked, event.pk, "content does not match its hash")
        expected_prev = event.hash
    return ChainVerification(checked, None)


def chain_lock_queries() -> int:
    """Queries the chain lock adds to every recorded event on this database.

    PostgreSQL serialises writers of the chain with an advisory lock (one statement); SQLite
    needs none, as it has one writer at a time. Tests that pin query counts add this per event.
    """
    return 1 if connection.vendor == "postgresql" else 0
