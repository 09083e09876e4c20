from __future__ import annotations

from functools import cache

from django.contrib.auth.decorators import login_not_required
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@cache
def _migrations_in_code() -> frozenset[tuple[str, str]]:
    # The code does not change while the process runs: read the migration files once.
    return frozenset(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)


def _pending_migrations() -> int:
    """How many migrations of this code the database lacks (one query when there are none)."""
    connection = connections[DEFAULT_DB_ALIAS]
    applied = set(MigrationRecorder(connection).applied_migrations())
    if _migrations_in_code() <= applied:
        return 0
    # Something looks missing: ask Django's planner, which knows squashed migrations.
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


@login_not_required
@require_GET
@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """For the proxy and monitoring: is the database reachable and fully migrated?

    503 while a node runs code whose migrations are not applied yet (e.g. during an update), so
    that no request reaches a schema the code does not expect. No names, only counts.
    """
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
        pending = _pending_migrations()
    except Exception:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    if pending:
        return JsonResponse(
            {"status": "error", "database": "ok", "migrations": "pending", "pending": pending},
            status=503,
        )
    return JsonResponse({"status": "ok", "database": "ok", "migrations": "applied"})
