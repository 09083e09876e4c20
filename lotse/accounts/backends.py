"""Django's password backend, with what the second factor needs read along with the user."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from .models import User
from .two_factor import with_second_factor_state


class LotseModelBackend(ModelBackend):
    """``ModelBackend``; the user loaded for each request also knows whether they have a device
    and whether their role needs one, in the same query (``SecondFactorMiddleware`` asks on
    every request, and pages keep a fixed number of queries)."""

    def get_user(self, user_id: Any) -> User | None:
        user = with_second_factor_state(User._default_manager.filter(pk=user_id)).first()
        return user if user is not None and self.user_can_authenticate(user) else None
