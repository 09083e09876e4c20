"""Fixed lists of the people domain: districts, statuses, benefit regimes."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class District(models.TextChoices):
    """Wuppertal's ten Stadtbezirke."""

    ELBERFELD = "elberfeld", "Elberfeld"
    ELBERFELD_WEST = "elberfeld_west", "Elberfeld-West"
    UELLENDAHL_KATERNBERG = "uellendahl_katernberg", "Uellendahl-Katernberg"
    VOHWINKEL = "vohwinkel", "Vohwinkel"
    CRONENBERG = "cronenberg", "Cronenberg"
    BARMEN = "barmen", "Barmen"
    OBERBARMEN = "oberbarmen", "Oberbarmen"
    HECKINGHAUSEN = "heckinghausen", "Heckinghausen"
    LANGERFELD_BEYENBURG = "langerfeld_beyenburg", "Langerfeld-Beyenburg"
    RONSDORF = "ronsdorf", "Ronsdorf"


class Sex(models.TextChoices):
    FEMALE = "f", _("female")
    MALE = "m", _("male")
    DIVERSE = "d", _("diverse")
    UNSPECIFIED = "x", _("not specified")


class BirthDatePrecision(models.TextChoices):
    EXACT = "exact", _("exact")
    YEAR = "year", _("year only")
    ESTIMATED = "estimated", _("estimated")


class LanguageLevel(models.TextChoices):
    NATIVE = "native", _("first language")
    C2 = "c2", "C2"
    C1 = "c1", "C1"
    B2 = "b2", "B2"
    B1 = "b1", "B1"
    A2 = "a2", "A2"
    A1 = "a1", "A1"
    NONE = "none", _("no knowledge")


class HouseholdRole(models.TextChoices):
    HEAD = "head", _("head of household")
    PARTNER = "partner", _("partner")
    CHILD = "child", _("child")
    OTHER_RELATIVE = "other_relative", _("other relative")


class ResidenceKind(models.TextChoices):
    ASYLUM_PERMISSION = "aufenthaltsgestattung", _("Aufenthaltsgestattung (asylum procedure)")
    TOLERATION = "duldung", _("Duldung (toleration, § 60a AufenthG)")
    RESIDENCE_PERMIT = "aufenthaltserlaubnis", _("Aufenthaltserlaubnis (residence permit)")
    SETTLEMENT_PERMIT = "niederlassungserlaubnis", _("Niederlassungserlaubnis (settlement permit)")
    EU_FREE_MOVEMENT = "eu_freizuegigkeit", _("EU free movement (FreizügG/EU)")
    PROVISIONAL = "fiktionsbescheinigung", _("Fiktionsbescheinigung (§ 81 AufenthG)")
    GERMAN_CITIZEN = "deutsch", _("German citizen")
    NONE = "none", _("none or unknown")


class WorkPermission(models.TextChoices):
    ALLOWED = "allowed", _("employment allowed")
    WITH_APPROVAL = "with_approval", _("only with approval of the foreigners' authority")
    NOT_ALLOWED = "not_allowed", _("employment not allowed")
    UNKNOWN = "unknown", _("unknown")


class BenefitRegime(models.TextChoices):
    """Which benefit law (Rechtskreis) a residence status leads to."""

    ASYLBLG = "asylblg", _("AsylbLG (Sozialamt)")
    SGB_II = "sgb_ii", _("SGB II (Jobcenter)")
    NONE = "none", _("no benefit entitlement from the status")
    UNKNOWN = "unknown", _("unknown")


class OtherHouseholds(models.TextChoices):
    """What becomes of the households an existing person lives in when she joins another."""

    MOVE = "move", _("moves here: the membership there ends today")
    LINK = "link", _("stays there as well: a member of both households")
