"""The passkey endpoints: JSON for django-otp-webauthn's browser scripts, and the removal form.

The ceremonies are the package's views; these subclasses say whose ceremony it is. At the
second login step that is the pending login's user (the password was right, the session is not
logged in yet) or the session's user whose device came after the login began — the same users
the code step serves. A passkey the server refuses counts with axes like a wrong code and is
audited as a failed second step; the success logs in exactly as a right code does (Django's
``login``, then django-otp's), with ``second_factor: passkey`` in the audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import django_otp
from axes.handlers.proxy import AxesProxyHandler
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.signals import user_login_failed
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.i18n import JavaScriptCatalog
from django_otp_webauthn import exceptions
from django_otp_webauthn.models import WebAuthnCredential
from django_otp_webauthn.views import (
    BeginCredentialAuthenticationView,
    BeginCredentialRegistrationView,
    CompleteCredentialAuthenticationView,
    CompleteCredentialRegistrationView,
)
from webauthn.helpers.exceptions import WebAuthnException

from .access import current_user
from .models import User
from .services import LastSecondFactorError, passkey_remove
from .two_factor import (
    SECOND_STEP_SENDER,
    Need,
    pending_login_clear,
    pending_login_get,
    second_factor_need,
    session_backend,
)
from .views import _safe_next

#: More passkeys than this per user are refused (each is a row; ten keys are plenty).
MAX_PASSKEYS = 10


class NoSecondStepError(exceptions.OTPWebAuthnApiError):  # type: ignore[misc]
    status_code = 403
    default_detail = gettext_lazy(
        "Your login is no longer waiting for its second step. Log in again with your password."
    )
    default_code = "no_second_step"


class NoPasskeyError(exceptions.OTPWebAuthnApiError):  # type: ignore[misc]
    status_code = 400
    default_detail = gettext_lazy("No passkey is set up for this account.")
    default_code = "no_passkey"


class LockedOutError(exceptions.OTPWebAuthnApiError):  # type: ignore[misc]
    status_code = 429
    default_detail = gettext_lazy(
        "Too many failed attempts. Your login is locked for a while; reload the page."
    )
    default_code = "locked_out"


class TooManyPasskeysError(exceptions.OTPWebAuthnApiError):  # type: ignore[misc]
    status_code = 400
    default_detail = gettext_lazy(
        "You have set up the most passkeys possible. Remove one before you add another."
    )
    default_code = "too_many_passkeys"


#: Refusals before anything was checked: not an attempt to count.
_NOT_COUNTED = (exceptions.InvalidState, NoSecondStepError, NoPasskeyError, LockedOutError)


@dataclass(frozen=True)
class SecondStep:
    user: User
    backend: str
    next_url: str


def second_step(request: HttpRequest) -> SecondStep | None:
    """Whose second login step the request is, or None (none pending, or nothing missing)."""
    if request.user.is_authenticated:
        user = current_user(request)
        if user.is_verified() or second_factor_need(user) != Need.VERIFY:  # type: ignore[attr-defined]
            return None
        return SecondStep(
            user=user,
            backend=session_backend(request),
            next_url=_safe_next(request, request.GET.get("next")),
        )
    pending = pending_login_get(request)
    if pending is None:
        return None
    return SecondStep(user=pending.user, backend=pending.backend, next_url=pending.next_url)


def _credentials(user: User) -> dict[str, str]:
    return {"username": user.get_username()}


class _SecondStepMixin:
    """The user of the second step instead of the session's; refused when locked out."""

    request: HttpRequest
    step: SecondStep

    def initial(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        step = second_step(request)
        if step is None:
            raise NoSecondStepError
        if not AxesProxyHandler.is_allowed(request, _credentials(step.user)):
            raise LockedOutError
        if not WebAuthnCredential.objects.filter(user=step.user, confirmed=True).exists():
            raise NoPasskeyError
        self.step = step
        super().initial(request, *args, **kwargs)  # type: ignore[misc]

    def get_user(self) -> AbstractBaseUser | None:
        return self.step.user


@method_decorator(login_not_required, name="dispatch")
class PasskeyLoginBeginView(_SecondStepMixin, BeginCredentialAuthenticationView):  # type: ignore[misc]
    """The options for the browser: a fresh challenge and the user's passkeys."""


@method_decorator(login_not_required, name="dispatch")
class PasskeyLoginCompleteView(_SecondStepMixin, CompleteCredentialAuthenticationView):  # type: ignore[misc]
    """The browser's signed answer: checked by the package, then the login is completed."""

    def complete_auth(self, device: Any) -> None:
        request = self.request
        pending_login_clear(request)
        # Read by the login audit: which kind of second factor completed the login.
        request.lotse_second_factor = "passkey"  # type: ignore[attr-defined]
        auth_login(request, self.step.user, backend=self.step.backend)
        django_otp.login(request, device)

    def get_success_url(self) -> str:
        return self.step.next_url

    def handle_exception(self, exc: Exception) -> HttpResponse:
        step: SecondStep | None = getattr(self, "step", None)
        counted = isinstance(exc, exceptions.OTPWebAuthnApiError | WebAuthnException)
        if step is not None and counted and not isinstance(exc, _NOT_COUNTED):
            # Refused: a passkey of someone else, an unknown one, a forged or replayed answer.
            # Counted by axes like a wrong code (and locked out alike: axes' middleware then
            # answers 429); audited as a failed second step.
            user_login_failed.send(
                sender=SECOND_STEP_SENDER, credentials=_credentials(step.user), request=self.request
            )
            if isinstance(exc, WebAuthnException):
                exc = exceptions.UnprocessableEntity()
        response: HttpResponse = super().handle_exception(exc)
        return response


class PasskeyRegisterBeginView(BeginCredentialRegistrationView):  # type: ignore[misc]
    """The options to create a passkey for the session's user (verified, or without any
    second factor yet: the package refuses an unverified session that has one)."""

    def check_can_register(self) -> None:
        user = current_user(self.request)
        if WebAuthnCredential.objects.filter(user=user).count() >= MAX_PASSKEYS:
            raise TooManyPasskeysError


class PasskeyRegisterCompleteView(CompleteCredentialRegistrationView):  # type: ignore[misc]
    """The new passkey, checked and saved by the package (audited by ``LotseWebAuthnHelper``)."""

    check_can_register = PasskeyRegisterBeginView.check_can_register

    def post(self, *args: Any, **kwargs: Any) -> HttpResponse:
        response: HttpResponse = super().post(*args, **kwargs)
        messages.success(
            self.request,
            _("Your passkey is set up. From now on you can confirm your login with it."),
        )
        return response


#: The package's German texts for its scripts (buttons, progress, errors).
passkey_js_catalog = login_not_required(JavaScriptCatalog.as_view(packages=["django_otp_webauthn"]))


@never_cache
@require_POST
def passkey_remove_view(request: HttpRequest, passkey_id: int) -> HttpResponse:
    """Remove one of one's own passkeys; another user's is missing (404), like any other."""
    user = current_user(request)
    passkey = WebAuthnCredential.objects.filter(pk=passkey_id, user=user).first()
    if passkey is None:
        raise Http404
    try:
        codes_removed = passkey_remove(passkey=passkey, actor=user)
    except LastSecondFactorError:
        messages.error(
            request,
            _(
                "This is your only second factor, and your role needs one. Set up an "
                "authenticator app or another passkey first."
            ),
        )
        return redirect("accounts:two_factor")
    if codes_removed:
        messages.success(
            request,
            _(
                "The passkey is removed. With it went your recovery codes: you now log in "
                "with your password alone."
            ),
        )
    else:
        messages.success(request, _("The passkey is removed."))
    return redirect("accounts:two_factor")
