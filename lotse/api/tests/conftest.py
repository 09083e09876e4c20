"""API tests read messages in English: the API answers in the language a program asks for."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from lotse.accounts.models import User


@pytest.fixture
def client_for(db: None) -> Callable[[User | None], Client]:
    def make(user: User | None) -> Client:
        client = Client(headers={"Accept-Language": "en"})
        if user is not None:
            client.force_login(user)
        return client

    return make
