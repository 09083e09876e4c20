"""Writes of the steering level: findings' handling and the network facts. All audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lotse.accounts.models import Membership
from lotse.accounts.roles import Capability
from lotse.audit.models import AuditAction
from lotse.audit.services import record
from lotse.directory.domains import LifeDomain
from lotse.people.choices import District

from .models import CooperationAgreement, GovernanceMeeting, StaffPost, StructuralFinding


def may_steer(membership: Membership | None) -> bool:
    """Coordinators record the network and the steering group's handling of findings."""
    return membership is not None and membership.can(Capability.VIEW_AGGREGATES)


def _audit(membership: Membership, target: Any, kind: str) -> None:
    record(
        action=AuditAction.STEERING_RECORD_SAVED,
        actor=membership.user,
        agency=membership.agency,
        target=target,
        detail={"kind": kind},
    )


def finding_open(membership: Membership, *, domain: str, district: str) -> StructuralFinding:
    """The steering group's record of a domain × district, created on first use."""
    if domain not in LifeDomain.values:
        raise ValidationError({"domain": _("Choose a life domain of the list.")})
    if district and district not in District.values:
        raise ValidationError({"district": _("Choose a district of the list.")})
    with transaction.atomic():
        finding, created = StructuralFinding.objects.get_or_create(
            domain=domain, district=district, defaults={"changed_by": membership.user}
        )
        if created:
            _audit(membership, finding, "finding_opened")
    return finding


def finding_save(
    membership: Membership,
    finding: StructuralFinding,
    *,
    expected_version: int,
    data: dict[str, Any],
) -> StructuralFinding:
    """Save the status and measure; a stale version raises ``StaleEditError``."""
    with transaction.atomic():
        finding.status = data["status"]
        finding.measure = (data.get("measure") or "").strip()
        finding.decided_on = data.get("decided_on")
        finding.meeting = data.get("meeting")
        finding.changed_by = membership.user
        finding.save_versioned(
            expected_version=expected_version,
            update_fields=["status", "measure", "decided_on", "meeting", "changed_by"],
        )
        _audit(membership, finding, "finding_saved")
    return finding


def staff_post_create(membership: Membership, data: dict[str, Any]) -> StaffPost:
    with transaction.atomic():
        post = StaffPost.objects.create(**data)
        _audit(membership, post, "staff_post")
    return post


def meeting_create(membership: Membership, data: dict[str, Any]) -> GovernanceMeeting:
    agencies = data.pop("agencies", [])
    with transaction.atomic():
        meeting = GovernanceMeeting.objects.create(**data)
        meeting.agencies.set(agencies)
        _audit(membership, meeting, "meeting")
    return meeting


def agreement_create(membership: Membership, data: dict[str, Any]) -> CooperationAgreement:
    agencies = data.pop("agencies", [])
    with transaction.atomic():
        agreement = CooperationAgreement.objects.create(**data)
        agreement.agencies.set(agencies)
        _audit(membership, agreement, "agreement")
    return agreement
