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
    """How a model exposes its compartment fields to the access policy.

    ``subject`` is the lookup of the person's id on the model ("pk" for Person itself,
    "person_id", "subject_id"); ``category`` is a fixed category for models about one thing,
    or None when the model has its own ``category`` field; ``entrusted`` says whether the model
    has an ``entrusted`` field.
    """

    __slots__ = ("category", "entrusted", "subject")

    def __init__(self, *, subject: str, category: str | None = None, entrusted: bool = False):
        self.subject = subject
        self.category = category
        self.entrusted = entrusted
