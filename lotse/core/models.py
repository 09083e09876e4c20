"""Base models shared by every domain. No domain rules live here."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class StaleEditError(Exception):
    """Raised when a save is based on an outdated version of a record."""

    def __init__(self, *, current: models.Model, changed_fields: list[str]) -> None:
        super().__init__("stale edit")
        self.current = current
        self.changed_fields = changed_fields


class OptimisticLock(models.Model):
    """Optimistic locking: every save checks and bumps ``version``.

    Services call :meth:`save_versioned` with the version the user started from; if someone
    else saved in between, nothing is written and :class:`StaleEditError` names what changed.
    The model needs an ``updated_at`` field (a compartmented item has it from its own base).
    """

    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        abstract = True

    def save_versioned(self, *, expected_version: int, update_fields: list[str]) -> None:
        model = type(self)
        values: dict[str, Any] = {name: getattr(self, name) for name in update_fields}
        now = timezone.now()
        updated = model._default_manager.filter(pk=self.pk, version=expected_version).update(
            **values, version=expected_version + 1, updated_at=now
        )
        if updated != 1:
            current = model._default_manager.get(pk=self.pk)
            changed = [name for name in update_fields if getattr(current, name) != values[name]]
            raise StaleEditError(current=current, changed_fields=changed)
        self.version = expected_version + 1
        self.updated_at = now


class VersionedModel(TimeStampedModel, OptimisticLock):
    """A time-stamped record with optimistic locking."""

    class Meta:
        abstract = True
