"""Passkeys (WebAuthn) as a second factor, through django-otp-webauthn.

A passkey is a django-otp device like the app: whoever has one needs it (or the app, or a
recovery code) at the second login step, and a role that needs a second factor counts it. The
package does the ceremonies (its helper builds the options and checks the answers with
py_webauthn) and ships the browser scripts; Lotse's views (``passkey_views``) decide whose
ceremony it is — the pending login's user at the second step, the session's user when
registering — count a refused passkey like a wrong code, and audit what changes.

Passkeys never replace the password here (``OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False``):
the relying party, its origin and its name come from the ``LOTSE_*`` settings (see
``config/settings.py``).
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.http import HttpRequest
from django.middleware import csrf
from django.urls import reverse
from django_otp_webauthn.helpers import WebAuthnHelper

from .models import User
from .services import PASSKEY_DEVICE_NAME, passkey_registered


class LotseWebAuthnHelper(WebAuthnHelper):  # type: ignore[misc]
    """The package's helper; the passkey gets a name, and its registration is audited in the
    transaction that saves it."""

    def create_credential(self, user: AbstractBaseUser, *args: Any, **kwargs: Any) -> Any:
        device = super().create_credential(user, *args, **kwargs)
        device.name = PASSKEY_DEVICE_NAME
        return device

    def register_complete(self, user: AbstractBaseUser, state: dict[str, Any], data: Any) -> Any:
        with transaction.atomic():
            device = super().register_complete(user=user, state=state, data=data)
            passkey_registered(user=cast(User, user), device=device)
        return device


def passkey_script_config(request: HttpRequest) -> dict[str, Any]:
    """What the package's scripts read from ``#otp_webauthn_config``: Lotse's endpoints (not
    the package's own URLs, which are not mounted) and the CSRF token for their POSTs."""
    return {
        "autocompleteLoginFieldSelector": None,
        "nextFieldSelector": "input[name='next']",
        "csrfToken": csrf.get_token(request),
        "beginAuthenticationUrl": reverse("accounts:passkey_login_begin"),
        "completeAuthenticationUrl": reverse("accounts:passkey_login_complete"),
        "beginRegistrationUrl": reverse("accounts:passkey_register_begin"),
        "completeRegistrationUrl": reverse("accounts:passkey_register_complete"),
    }
