from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    # One message for unknown names and wrong passwords alike: no user enumeration.
    error_messages = {
        "invalid_login": _(
            "User name or password is not correct. Note that both fields are case-sensitive."
        ),
        "inactive": _(
            "User name or password is not correct. Note that both fields are case-sensitive."
        ),
    }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["username"].widget.attrs.update(
            {"autocomplete": "username", "class": "kern-form-input__input"}
        )
        self.fields["password"].widget.attrs.update(
            {"autocomplete": "current-password", "class": "kern-form-input__input"}
        )


class OneTimeCodeInput(forms.TextInput):
    """A code is never shown back: a wrong one is typed anew, a right one is spent."""

    def format_value(self, value: Any) -> str | None:
        return None


def _code_attrs(*, recovery: bool) -> dict[str, str]:
    attrs = {
        "class": "kern-form-input__input",
        "autocomplete": "off" if recovery else "one-time-code",
        "inputmode": "text" if recovery else "numeric",
        "autocapitalize": "off",
        "spellcheck": "false",
        "autofocus": "autofocus",
    }
    if not recovery:
        attrs["pattern"] = "[0-9 ]*"
    return attrs


class SecondFactorForm(forms.Form):
    """The second login step: the app's current code, or one of the recovery codes."""

    code = forms.CharField(
        label=_("Confirmation code"), max_length=32, strip=True, widget=OneTimeCodeInput
    )

    def __init__(self, *args: Any, recovery: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["code"]
        field.widget.attrs.update(_code_attrs(recovery=recovery))
        if recovery:
            field.label = _("Recovery code")
            field.help_text = _("One of the ten codes you kept when you set up the app.")
        else:
            field.help_text = _("The six-digit code your authenticator app shows for Lotse.")


class EnrolmentForm(forms.Form):
    """Confirms a newly scanned app with its first code."""

    code = forms.CharField(
        label=_("Code from the app"),
        max_length=16,
        strip=True,
        widget=OneTimeCodeInput,
        help_text=_("The six-digit code the app shows after you scanned the QR code."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(_code_attrs(recovery=False))
