"""``/healthz`` answers the proxy and monitoring: database reachable and every migration applied."""

from __future__ import annotations

import pytest
from django.db import OperationalError, connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client

from lotse.core import views


@pytest.fixture
def anonymous(db: None) -> Client:
    return Client()


def test_a_migrated_database_is_healthy_without_a_login(anonymous, django_assert_max_num_queries):
    # SELECT 1, whether the migrations table exists, the applied migrations
    with django_assert_max_num_queries(3):
        response = anonymous.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "migrations": "applied"}
    assert "no-store" in response["Cache-Control"]


def test_a_missing_migration_answers_503_with_the_count(anonymous):
    recorder = MigrationRecorder(connection)
    # Rolled back with the test's transaction.
    recorder.migration_qs.filter(app="referrals").delete()
    response = anonymous.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["migrations"] == "pending"
    assert body["pending"] >= 1
    assert body["status"] == "error"


def test_an_unreachable_database_answers_503(anonymous, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(views, "_pending_migrations", refuse)
    response = anonymous.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unreachable"}


def test_only_get_is_allowed(anonymous):
    assert anonymous.post("/healthz").status_code == 405
