"""The compartment protocol, held by a system check (DESIGN §3).

Every model that holds something about a person beyond "this person exists here" is a
compartmented item: it declares a :class:`~lotse.consent.categories.Compartment` whose fields
exist, and indexes that let the policy filter it without scanning (owner agency first for the
agency's own items and the legal-basis part of a count; subject first for a person's page).
A model that points at a person and is *not* content (a household membership, a consent
itself, the audit side table) says why in ``compartment_exempt``.
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from django.apps import apps
from django.core import checks
from django.db import models

from .categories import Compartment, DataCategory

PERSON_MODEL = "people.Person"


@runtime_checkable
class CompartmentedModel(Protocol):
    """What the policy reads of an item; ``compartment`` names where the rest is."""

    compartment: Compartment
    owner_agency_id: int


def _column(model: type[models.Model], lookup: str) -> str | None:
    """The concrete field a compartment lookup ("subject_id", "pk", "author_id") names."""
    if lookup == "pk":
        return model._meta.pk.name if model._meta.pk is not None else None
    name = lookup.removesuffix("_id")
    try:
        field = model._meta.get_field(name)
    except Exception:
        return None
    return field.name if getattr(field, "concrete", False) else None


def _indexed(model: type[models.Model]) -> tuple[set[str], set[str]]:
    """The fields that start an index, and all fields that are part of one."""
    firsts: set[str] = set()
    anywhere: set[str] = set()
    composite = [index.fields for index in model._meta.indexes] + [
        getattr(constraint, "fields", ()) for constraint in model._meta.constraints
    ]
    for fields in composite:
        names = [name.lstrip("-") for name in fields]
        if names:
            firsts.add(names[0])
            anywhere.update(names)
    for field in model._meta.concrete_fields:
        # A foreign key's own index (db_index) counts; Django creates one by default.
        if getattr(field, "db_index", False) or field.unique:
            firsts.add(field.name)
            anywhere.add(field.name)
    return firsts, anywhere


def _problems(model: type[models.Model], compartment: Any) -> list[str]:
    if not isinstance(compartment, Compartment):
        return ["its `compartment` is not a lotse.consent.categories.Compartment"]
    problems = []
    subject = _column(model, compartment.subject)
    if subject is None:
        problems.append(f"the subject field {compartment.subject!r} does not exist")
    try:
        model._meta.get_field("owner_agency")
    except Exception:
        problems.append("it has no `owner_agency` field")
    if compartment.category is None:
        if _column(model, "category") is None:
            problems.append("it declares no fixed category and has no `category` field")
    elif compartment.category not in DataCategory.values:
        problems.append(f"its category {compartment.category!r} is unknown")
    if compartment.entrusted and _column(model, "entrusted") is None:
        problems.append("it says it is entrusted-aware but has no `entrusted` field")
    if compartment.author is not None and _column(model, compartment.author) is None:
        problems.append(f"the author field {compartment.author!r} does not exist")
    starts, anywhere = _indexed(model)
    # The owner is read with every item (own agency, consent join, legal-basis part): it must
    # be in an index so that the rule is answered from the index; the subject starts one so
    # that a person's page reads only that person's items.
    if "owner_agency" not in anywhere:
        problems.append("no index holds `owner_agency`")
    if subject is not None and subject != model._meta.pk.name and subject not in starts:
        problems.append(f"no index starts with the subject field `{subject}`")
    return problems


def _points_at_person(model: type[models.Model], person: type[models.Model]) -> bool:
    return any(
        field.concrete and field.is_relation and field.related_model is person
        for field in model._meta.get_fields()
        if not field.auto_created
    )


def check_compartments(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    try:
        person = apps.get_model(PERSON_MODEL)
    except LookupError:
        return []
    errors: list[checks.CheckMessage] = []
    for model in apps.get_models():
        if model._meta.app_label not in {c.label for c in apps.get_app_configs()} or (
            not model.__module__.startswith("lotse.")
        ):
            continue
        compartment = getattr(model, "compartment", None)
        if compartment is not None:
            for problem in _problems(model, compartment):
                errors.append(
                    checks.Error(
                        f"{model._meta.label} is a compartmented item, but {problem}.",
                        hint="See lotse.consent.categories.Compartment.",
                        obj=model,
                        id="lotse.E002",
                    )
                )
        elif _points_at_person(model, person) and not getattr(model, "compartment_exempt", ""):
            errors.append(
                checks.Error(
                    f"{model._meta.label} points at a person but declares no compartment.",
                    hint="Declare `compartment = Compartment(...)` so that the access policy "
                    "guards it, or say in `compartment_exempt` why it holds no content.",
                    obj=model,
                    id="lotse.E003",
                )
            )
    return errors
