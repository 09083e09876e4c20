"""Capability checks for views and APIs: a missing capability looks like a missing page."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from .models import Membership, User
from .roles import Capability


def membership_with(request: HttpRequest, capability: Capability) -> Membership:
    membership: Membership | None = getattr(request, "membership", None)
    if membership is None or not membership.can(capability):
        raise Http404
    return membership


def current_user(request: HttpRequest) -> User:
    """The logged-in user of a view behind the login requirement."""
    user = request.user
    if not isinstance(user, User):
        raise Http404
    return user
