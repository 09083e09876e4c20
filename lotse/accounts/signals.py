"""Audit Django's authentication events (it reports them only as signals)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from lotse.audit.models import AuditAction
from lotse.audit.services import record

from .two_factor import SECOND_STEP_SENDER


def _agency_of(user: Any) -> Any:
    membership = user.primary_membership() if user is not None else None
    return membership.agency if membership else None


@receiver(user_logged_in)
def audit_login(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    # The code step says which second factor completed the login (an app or a recovery code).
    factor = getattr(request, "lotse_second_factor", None)
    detail = {"second_factor": factor} if factor else None
    record(action=AuditAction.LOGIN_SUCCEEDED, actor=user, agency=_agency_of(user), detail=detail)


@receiver(user_logged_out)
def audit_logout(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record(action=AuditAction.LOGOUT, actor=user, agency=_agency_of(user))


@receiver(user_login_failed)
def audit_login_failure(sender: Any, credentials: dict[str, Any], **kwargs: Any) -> None:
    # The attempted name is kept only when it belongs to an account: a mistyped password in the
    # name field must not end up in the trail.
    username = credentials.get("username") or ""
    user = get_user_model()._default_manager.filter(username=username).first()
    # A wrong code after the right password says more than a wrong password: someone may
    # know it. The DPO sees the two apart.
    action = (
        AuditAction.SECOND_FACTOR_FAILED
        if sender == SECOND_STEP_SENDER
        else AuditAction.LOGIN_FAILED
    )
    record(action=action, actor=user, agency=_agency_of(user))
