"""Merging two records of one person: every app moves the content it holds about the person.

The people app confirms a merge; the content lives in apps above and below it (consents,
journal entries, later cases and referrals). Each app whose models point at a person implements
``move_person_content`` on its ``AppConfig`` (:class:`MovesPersonContent`), found through the
app registry, so no import runs against the layering (DESIGN §2). A system check refuses to
start when a model points at a person and its app does not say what happens on a merge.
"""

from __future__ import annotations

from typing import Any, Protocol

from django.apps import apps
from django.core import checks
from django.db import models

PERSON_MODEL = "people.Person"


class MovesPersonContent(Protocol):
    """An app's part of a merge: re-point its rows from ``merged_id`` to ``survivor_id``.

    Returns how many rows of each kind moved (for the audit event). Fields listed in
    ``person_fields_kept`` (``"app_label.Model.field"``) deliberately stay on the old record,
    e.g. the merge record itself.
    """

    def move_person_content(self, *, survivor_id: int, merged_id: int) -> dict[str, int]: ...


def _hook(config: object) -> MovesPersonContent | None:
    # Looked up each time, not by isinstance: ABCs cache isinstance answers per class.
    hook = getattr(config, "move_person_content", None)
    return config if callable(hook) else None  # type: ignore[return-value]


def move_person_content(*, survivor_id: int, merged_id: int) -> dict[str, int]:
    moved: dict[str, int] = {}
    for config in apps.get_app_configs():
        mover = _hook(config)
        if mover is not None:
            moved.update(mover.move_person_content(survivor_id=survivor_id, merged_id=merged_id))
    return {kind: count for kind, count in moved.items() if count}


def _person_fields(model: type[models.Model], person: type[models.Model]) -> list[str]:
    return [
        field.name
        for field in model._meta.get_fields()
        if field.concrete
        and field.is_relation
        and field.related_model is person
        and not field.auto_created
    ]


def check_person_content_moves(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    try:
        person = apps.get_model(PERSON_MODEL)
    except LookupError:
        return []
    errors: list[checks.CheckMessage] = []
    for config in apps.get_app_configs():
        kept = set(getattr(config, "person_fields_kept", ()))
        for model in config.get_models():
            fields = [
                f"{model._meta.label}.{name}"
                for name in _person_fields(model, person)
                if f"{model._meta.label}.{name}" not in kept
            ]
            if fields and _hook(config) is None:
                errors.append(
                    checks.Error(
                        f"{', '.join(fields)} point at a person, but the app "
                        f"{config.label!r} does not move them when two records are merged.",
                        hint="Implement move_person_content on its AppConfig "
                        "(lotse.core.merge.MovesPersonContent) or list the fields in "
                        "person_fields_kept.",
                        obj=config,
                        id="lotse.E001",
                    )
                )
    return errors
