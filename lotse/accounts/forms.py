from __future__ import annotations

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
