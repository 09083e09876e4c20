from django.db import models
from django.utils.translation import gettext_lazy as _


class DataCategory(models.TextChoices):
    """What an item is about; the codes are used in rules, consents and the API."""

    IDENTITY = "identity", _("Identity and contact")
    RESIDENCE = "residence", _("Residence status")
    LANGUAGE = "language", _("Language and integration course")
    EDUCATION = "education", _("School and childcare")
    WORK = "work", _("Work, qualification, recognition")
    HOUSING = "housing", _("Housing")
    FINANCES = "finances", _("Finances and benefits")
    YOUTH_WELFARE = "youth_welfare", _("Family and youth welfare")
    HEALTH = "health", _("Health")
    CASE_PLAN = "case_plan", _("Goals and measures")


class Compartment:
    """How a model exposes its compartment fields to the access policy (DESIGN §3).

    ``subject`` is the lookup of the person's id on the model ("pk" for Person itself,
    "person_id", "subject_id"); ``category`` is a fixed category for models about one thing,
    or None when the model has its own ``category`` field; ``entrusted`` says whether the model
    has an ``entrusted`` field.

    ``purposes``: the consent purposes for which this kind of item may be disclosed (None: any
    purpose the consent names — the category alone decides). Conference minutes, for example,
    open only under a consent whose purpose covers the conference.

    ``need_to_know``: whether an agency that limits its content to the staff assigned to a
    family's case (§ 35 SGB I) limits this kind of item. Identity is exempt: finding a person
    and checking for duplicates needs it, and it is the bare fact "this person is known here".

    ``author``: the lookup of the user who wrote the item, if any; under need-to-know a
    caseworker always sees what they wrote themselves.

    A system check (``consent.checks``) holds every model with personal content to this.
    """

    __slots__ = ("author", "category", "entrusted", "need_to_know", "purposes", "subject")

    def __init__(
        self,
        *,
        subject: str,
        category: str | None = None,
        entrusted: bool = False,
        purposes: frozenset[str] | None = None,
        need_to_know: bool | None = None,
        author: str | None = None,
    ):
        self.subject = subject
        self.category = category
        self.entrusted = entrusted
        self.purposes = purposes
        self.need_to_know = (
            category != DataCategory.IDENTITY if need_to_know is None else need_to_know
        )
        self.author = author
