from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import django_otp
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.signals import user_login_failed
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.util import random_hex

from .access import current_user, membership_with
from .forms import EnrolmentForm, LoginForm, SecondFactorForm
from .middleware import SESSION_KEY
from .models import Membership, User
from .passkeys import passkey_script_config
from .roles import START_PAGE_SECTIONS, Capability
from .services import (
    membership_switch,
    recovery_codes_regenerate,
    second_factor_enrol,
    second_factor_verify,
)
from .start import start_panels
from .two_factor import (
    ENROL_KEY_SESSION_KEY,
    SECOND_STEP_SENDER,
    Need,
    base32_secret,
    pending_login_clear,
    pending_login_get,
    pending_login_start,
    qr_svg,
    second_factor_need,
    second_factor_overview,
    second_factor_required,
    session_backend,
    totp_uri,
    user_has_app,
    user_has_passkey,
    user_has_second_factor,
)


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    """``candidate`` if it is a path on this site, else the start page."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("start")


class LoginView(auth_views.LoginView):
    """The password step. With a second factor the user is not logged in yet: the code is."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        user: User = form.get_user()
        next_url = self.get_success_url()
        if user_has_second_factor(user):
            pending_login_start(self.request, user=user, next_url=next_url)
            return redirect("accounts:login_code")
        response = super().form_valid(form)
        if second_factor_required(user):
            # No device yet, but the role needs one: enrolment first, nothing else before.
            return _with_next(reverse("accounts:two_factor_enrol"), next_url)
        return response


def _with_next(url: str, next_url: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{url}?{urlencode({'next': next_url})}")


@login_not_required
@sensitive_post_parameters("code")
@never_cache
@require_http_methods(["GET", "POST"])
def login_code(request: HttpRequest) -> HttpResponse:
    """The second step: the app's code or a recovery code, throttled by axes like the password."""
    if request.user.is_authenticated:
        # A session that began before the user had a device (or one nothing is missing for).
        user = current_user(request)
        if user.is_verified() or second_factor_need(user) != Need.VERIFY:  # type: ignore[attr-defined]
            return redirect(_safe_next(request, request.GET.get("next")))
        backend = session_backend(request)
        next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    else:
        pending = pending_login_get(request)
        if pending is None:
            return redirect("accounts:login")
        user, backend, next_url = pending.user, pending.backend, pending.next_url

    credentials = {"username": user.get_username()}
    if not AxesProxyHandler.is_allowed(request, credentials):
        return _locked_out(request, credentials)

    recovery = request.GET.get("method") == "recovery"
    form = SecondFactorForm(request.POST or None, recovery=recovery)
    if request.method == "POST" and form.is_valid():
        device = second_factor_verify(user=user, code=form.cleaned_data["code"])
        if device is not None:
            pending_login_clear(request)
            used_recovery_code = isinstance(device, StaticDevice)
            # Read by the login audit: which kind of second factor completed the login.
            request.lotse_second_factor = (  # type: ignore[attr-defined]
                "recovery_code" if used_recovery_code else "totp"
            )
            auth_login(request, user, backend=backend)
            django_otp.login(request, device)
            if used_recovery_code:
                left = device.token_set.count()
                messages.warning(
                    request,
                    ngettext(
                        "You logged in with a recovery code. %(count)d code is left: "
                        "generate new ones under “Second factor”.",
                        "You logged in with a recovery code. %(count)d codes are left: "
                        "generate new ones under “Second factor” if they run short.",
                        left,
                    )
                    % {"count": left},
                )
            return HttpResponseRedirect(next_url)
        # Counted by axes like a wrong password (and locked out alike); audited as such.
        user_login_failed.send(sender=SECOND_STEP_SENDER, credentials=credentials, request=request)
        if getattr(request, "axes_locked_out", False):
            return _locked_out(request, credentials)
        form.add_error(
            "code",
            _(
                "The code is not correct or no longer valid. Enter the code your app shows "
                "now, or one of your recovery codes."
            ),
        )
    has_app, has_passkey = user_has_app(user), user_has_passkey(user)
    return render(
        request,
        "accounts/login_code.html",
        {
            "form": form,
            "recovery": recovery,
            "next": next_url,
            "half_logged_in": True,
            "has_app": has_app,
            "has_passkey": has_passkey,
            # Someone with passkeys only is offered the recovery codes by a link.
            "show_code_form": recovery or has_app or not has_passkey,
            "passkey_config": passkey_script_config(request) if has_passkey else None,
        },
    )


def _locked_out(request: HttpRequest, credentials: dict[str, str]) -> HttpResponse:
    pending_login_clear(request)
    if request.user.is_authenticated:
        auth_logout(request)
    response: HttpResponse = get_lockout_response(request, None, credentials)
    return response


@require_GET
@never_cache
def two_factor(request: HttpRequest) -> HttpResponse:
    """The user's own page: the app, the passkeys, the recovery codes left, set up again, new
    codes."""
    user = current_user(request)
    return render(
        request,
        "accounts/two_factor.html",
        {
            "overview": second_factor_overview(user),
            "passkey_config": passkey_script_config(request),
        },
    )


@sensitive_post_parameters("code")
@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_enrol(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code (or type the secret), confirm with a code.

    The secret waits in the session until it is confirmed, so reloading the page keeps the QR
    code the app has scanned, and an abandoned attempt leaves no device behind.
    """
    user = current_user(request)
    forced = not user.is_verified() and second_factor_need(user) == Need.ENROL  # type: ignore[attr-defined]
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    key_hex = request.session.get(ENROL_KEY_SESSION_KEY)
    if not isinstance(key_hex, str) or len(key_hex) != 40:
        key_hex = random_hex(20)
        request.session[ENROL_KEY_SESSION_KEY] = key_hex

    form: Form = EnrolmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        enrolment = second_factor_enrol(user=user, key_hex=key_hex, code=form.cleaned_data["code"])
        if enrolment is not None:
            request.session.pop(ENROL_KEY_SESSION_KEY, None)
            django_otp.login(request, enrolment.device)
            return _recovery_codes_page(
                request, codes=enrolment.recovery_codes, next_url=next_url, enrolled=True
            )
        form.add_error(
            "code",
            _("The code does not match. Check that the app shows a code for this QR code."),
        )
    uri = totp_uri(user=user, key_hex=key_hex)
    return render(
        request,
        "accounts/two_factor_enrol.html",
        {
            "form": form,
            "forced": forced,
            "half_logged_in": forced,
            "next": next_url,
            "qr": qr_svg(uri, title=_("QR code for your authenticator app")),
            "secret": base32_secret(key_hex),
            "has_app": user_has_second_factor(user),
            "passkey_config": passkey_script_config(request) if forced else None,
        },
    )


@sensitive_post_parameters("code")
@never_cache
@require_POST
def two_factor_recovery_codes(request: HttpRequest) -> HttpResponse:
    """Ten new recovery codes (the old stop working), shown once."""
    user = current_user(request)
    try:
        codes = recovery_codes_regenerate(user=user)
    except ValueError:
        messages.info(
            request, _("Set up an authenticator app or a passkey first; the codes come with it.")
        )
        return redirect("accounts:two_factor_enrol")
    return _recovery_codes_page(request, codes=codes, next_url=reverse("start"), enrolled=False)


def _recovery_codes_page(
    request: HttpRequest, *, codes: list[str], next_url: str, enrolled: bool
) -> HttpResponse:
    # Shown in the answer to the POST and never again: not kept in the session, and the views
    # are ``never_cache`` (no-store), so no cache keeps them either.
    return render(
        request,
        "accounts/recovery_codes.html",
        {"codes": codes, "next": next_url, "enrolled": enrolled},
    )


class LogoutView(auth_views.LogoutView):
    """POST only (Django's default): ends the session in the database, not just the cookie."""


@require_GET
def start(request: HttpRequest) -> HttpResponse:
    membership: Membership | None = getattr(request, "membership", None)
    sections = []
    if membership is not None:
        for section in START_PAGE_SECTIONS:
            if not membership.can(section.capability):
                continue
            url = None
            if section.url_name:
                try:
                    url = reverse(section.url_name)
                except NoReverseMatch:
                    url = None
            if section.url_name == "admin:index" and not request.user.is_staff:
                url = None
            sections.append({"section": section, "url": url})
    memberships = (
        Membership.objects.filter(
            user=current_user(request), is_active=True, agency__is_active=True
        )
        .select_related("agency")
        .order_by("pk")
    )
    panels = start_panels(request=request, membership=membership) if membership else []
    return render(
        request,
        "accounts/start.html",
        {"sections": sections, "memberships": memberships, "panels": panels},
    )


@require_GET
def agency_users(request: HttpRequest) -> HttpResponse:
    """The users of the member's agency: name, login, role, team and whether the account is
    open — for the agency's administrator, never another agency's. Accounts are created,
    given roles and closed in the system administration; its administrators are sent on."""
    membership = membership_with(request, Capability.MANAGE_AGENCY_USERS)
    members = (
        Membership.objects.filter(agency=membership.agency)
        .select_related("user", "team")
        .order_by("user__last_name", "user__first_name", "user__username", "role")
    )
    rows = [
        {
            "name": m.user.get_full_name() or m.user.get_username(),
            "login": m.user.get_username(),
            "role": m.get_role_display(),
            "team": m.team.name if m.team else "",
            "active": m.is_active and m.user.is_active,
        }
        for m in members
    ]
    administers = request.user.is_staff and membership.can(Capability.ADMINISTER_SYSTEM)
    return render(
        request,
        "accounts/agency_users.html",
        {"agency": membership.agency, "rows": rows, "administers": administers},
    )


@require_POST
def switch_membership(request: HttpRequest) -> HttpResponse:
    try:
        membership_id = int(request.POST.get("membership", ""))
    except ValueError:
        raise Http404 from None
    membership = (
        Membership.objects.select_related("agency")
        .filter(
            pk=membership_id, user=current_user(request), is_active=True, agency__is_active=True
        )
        .first()
    )
    if membership is None:
        raise Http404
    request.session[SESSION_KEY] = membership.pk
    membership_switch(user=current_user(request), membership=membership)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("start")
    return HttpResponseRedirect(target)
