from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from .models import Membership, User
from .two_factor import Need, second_factor_need

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


# Pages a login without its second factor may still open, whatever it lacks.
_ALWAYS_OPEN = frozenset(
    {"accounts:logout", "set_language", "health", "accounts:passkey_js_catalog"}
)
_OPEN_FOR: dict[Need, frozenset[str]] = {
    Need.VERIFY: _ALWAYS_OPEN
    | {"accounts:login_code", "accounts:passkey_login_begin", "accounts:passkey_login_complete"},
    # A passkey set up instead of the app satisfies the role too.
    Need.ENROL: _ALWAYS_OPEN
    | {
        "accounts:two_factor_enrol",
        "accounts:passkey_register_begin",
        "accounts:passkey_register_complete",
    },
}
_TARGET: dict[Need, str] = {
    Need.VERIFY: "accounts:login_code",
    Need.ENROL: "accounts:two_factor_enrol",
}


class SecondFactorMiddleware:
    """A session whose user needs a second factor reaches nothing else before it is given.

    Who has a device must enter its code (a session that began before the device was set up,
    say); a member of a role that needs one and has none is sent to the enrolment. For the API
    such a session is no login at all: bearer tokens work as before, the session gets 401.
    Runs in ``process_view``, after ``LoginRequiredMiddleware`` has sent anonymous visitors away.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: Any,
        view_kwargs: Any,
    ) -> HttpResponse | None:
        user = request.user
        # ``is_verified`` comes from django-otp's middleware, which runs before this one.
        if not isinstance(user, User) or user.is_verified():  # type: ignore[attr-defined]
            return None
        need = second_factor_need(user)
        if need is None:
            return None
        match = request.resolver_match
        if match is not None and match.view_name in _OPEN_FOR[need]:
            return None
        if match is not None and match.namespace == "api":
            request.user = AnonymousUser()
            request.membership = None  # type: ignore[attr-defined]
            return None
        target = reverse(_TARGET[need])
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return HttpResponseRedirect(target)
