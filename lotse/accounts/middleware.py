from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .models import Membership

SESSION_KEY = "lotse_membership_id"


def resolve_membership(request: HttpRequest) -> Membership | None:
    user = request.user
    if not user.is_authenticated:
        return None
    chosen = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    if chosen is not None:
        membership = (
            Membership.objects.select_related("agency")
            .filter(pk=chosen, user=user, is_active=True, agency__is_active=True)
            .first()
        )
        if membership is not None:
            return membership
    return user.primary_membership()


class MembershipMiddleware:
    """Sets ``request.membership``: the agency and role the user is acting for right now."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.membership = resolve_membership(request)  # type: ignore[attr-defined]
        return self.get_response(request)
