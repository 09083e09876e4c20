from __future__ import annotations

import secrets
from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lotse.consent.categories import Compartment, DataCategory
from lotse.core.models import TimeStampedModel, VersionedModel

from .choices import (
    BenefitRegime,
    BirthDatePrecision,
    District,
    HouseholdRole,
    LanguageLevel,
    ResidenceKind,
    Sex,
    WorkPermission,
)

# Crockford's base32 without I, L, O, U: no letters that read like digits or words.
_PUBLIC_ID_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_public_id(prefix: str) -> str:
    """A pseudonymous ID such as ``P-7K3M-9QX2``: says nothing about the person."""
    body = "".join(secrets.choice(_PUBLIC_ID_ALPHABET) for _ in range(8))
    return f"{prefix}-{body[:4]}-{body[4:]}"


def new_person_id() -> str:
    return new_public_id("P")


def new_household_id() -> str:
    return new_public_id("H")


class Person(VersionedModel):
    """A person's identity: itself a compartmented item (category identity)."""

    compartment = Compartment(subject="pk", category=DataCategory.IDENTITY)

    public_id = models.CharField(
        _("Lotse ID"), max_length=12, unique=True, default=new_person_id, editable=False
    )
    owner_agency = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        related_name="registered_persons",
        verbose_name=_("registered by"),
    )
    given_names = models.CharField(_("given names"), max_length=200)
    family_name = models.CharField(_("family name"), max_length=200)
    aliases = models.JSONField(
        _("other spellings"),
        default=list,
        blank=True,
        help_text=_("Spellings from other documents, e.g. the residence permit or a passport."),
    )
    native_name = models.CharField(
        _("name in original script"), max_length=200, blank=True, default=""
    )
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    birth_date_precision = models.CharField(
        _("precision of the date of birth"),
        max_length=10,
        choices=BirthDatePrecision.choices,
        default=BirthDatePrecision.EXACT,
    )
    # Derived from birth_date, but a column of its own: searched and filtered on.
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.UNSPECIFIED)
    nationalities = models.JSONField(
        _("nationalities"), default=list, blank=True, help_text=_("ISO 3166 country codes.")
    )
    arrival_in_germany = models.DateField(_("arrival in Germany"), null=True, blank=True)
    arrival_in_city = models.DateField(_("arrival in the city"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True, default="")
    email = models.EmailField(_("e-mail"), blank=True, default="")
    district = models.CharField(
        _("district"), max_length=32, choices=District.choices, blank=True, default=""
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_persons",
        verbose_name=_("merged into"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by user"),
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        indexes = [
            models.Index(fields=["owner_agency", "family_name"], name="people_person_owner_idx"),
            models.Index(fields=["birth_year"], name="people_person_birthyear_idx"),
            models.Index(fields=["district"], name="people_person_district_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.given_names} {self.family_name}"

    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.family_name}".strip()

    def age_on(self, day: date) -> int | None:
        if self.birth_date is None:
            return None
        born = self.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class PersonNameKey(models.Model):
    """Search tokens of a person's names, written at save time (see people.names).

    ``kind`` is ``key`` for a canonical variant key ("mhmd" for every Mohammed) or ``token``
    for the folded spelling, which serves prefix search for partial names.
    """

    # The person's identity in another form: visible exactly when the person is. The search
    # checks the access rule on these rows alone, without joining the person table.
    compartment = Compartment(subject="person_id", category=DataCategory.IDENTITY)

    class Kind(models.TextChoices):
        KEY = "key", "key"
        TOKEN = "token", "token"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="name_keys")
    # The person's registering agency (never changes), copied for the access rule.
    owner_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    kind = models.CharField(max_length=5, choices=Kind.choices)
    value = models.CharField(max_length=64)

    class Meta:
        constraints = [
            # With the agency in the index, search reads the access rule's column from the
            # index alone (the agency follows from the person, so uniqueness is the same).
            models.UniqueConstraint(
                fields=["kind", "value", "person", "owner_agency"], name="people_namekey_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}"


class PersonLanguage(models.Model):
    # Which languages a person speaks is what every colleague needs to greet the family and
    # book an interpreter: need-to-know inside the agency does not hide it.
    compartment = Compartment(
        subject="person_id", category=DataCategory.LANGUAGE, need_to_know=False
    )

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="languages")
    owner_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    language = models.CharField(_("language"), max_length=3, help_text=_("ISO 639 code."))
    level = models.CharField(
        _("level"), max_length=6, choices=LanguageLevel.choices, default=LanguageLevel.NATIVE
    )
    interpreter_needed = models.BooleanField(_("interpreter needed"), default=False)

    class Meta:
        verbose_name = _("language")
        verbose_name_plural = _("languages")
        constraints = [
            # Each agency records its own view of a language (levels differ between
            # assessments); one agency's entry never blocks or reveals another's.
            models.UniqueConstraint(
                fields=["person", "owner_agency", "language"], name="people_language_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.language} ({self.level})"


class Household(VersionedModel):
    compartment_exempt = "a container: shown through its members' visibility (people.access)"

    public_id = models.CharField(
        _("Lotse ID"), max_length=12, unique=True, default=new_household_id, editable=False
    )
    owner_agency = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        related_name="registered_households",
        verbose_name=_("registered by"),
    )
    street = models.CharField(_("street and number"), max_length=200, blank=True, default="")
    postcode = models.CharField(_("postcode"), max_length=10, blank=True, default="")
    city = models.CharField(_("city"), max_length=100, blank=True, default="Wuppertal")
    district = models.CharField(
        _("district"), max_length=32, choices=District.choices, blank=True, default=""
    )
    members: models.ManyToManyField[Person, HouseholdMember] = models.ManyToManyField(
        Person, through="HouseholdMember", related_name="households"
    )

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        indexes = [models.Index(fields=["owner_agency"], name="people_household_owner_idx")]

    def __str__(self) -> str:
        return self.public_id


class HouseholdMember(models.Model):
    compartment_exempt = "who lives with whom: shown only for members the reader may see"

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="household_memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=HouseholdRole.choices)

    class Meta:
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        constraints = [
            models.UniqueConstraint(fields=["household", "person"], name="people_member_unique")
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.role})"


class HouseholdDeparture(TimeStampedModel):
    """A membership that ended: the person moved out on ``moved_out_on`` (to ``moved_to``,
    where Lotse knows it). ``HouseholdMember`` holds who lives in a household now, so every
    page, case and count keeps meaning "now"; this is the history the household page shows."""

    compartment_exempt = "who lived with whom: shown only for persons the reader may see"

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="departures")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="household_departures"
    )
    role = models.CharField(_("role"), max_length=16, choices=HouseholdRole.choices)
    moved_out_on = models.DateField(_("moved out on"))
    moved_to = models.ForeignKey(
        Household,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="arrivals",
        verbose_name=_("moved to"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("move out of a household")
        verbose_name_plural = _("moves out of households")
        indexes = [models.Index(fields=["household", "moved_out_on"], name="people_departure_idx")]

    def __str__(self) -> str:
        return f"{self.person_id} left {self.household_id} on {self.moved_out_on}"


class ResidenceStatus(TimeStampedModel):
    """One entry of a person's residence history (category residence)."""

    compartment = Compartment(
        subject="person_id", category=DataCategory.RESIDENCE, author="recorded_by_id"
    )

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="residence_statuses")
    owner_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    kind = models.CharField(_("status"), max_length=32, choices=ResidenceKind.choices)
    paragraph = models.CharField(
        _("legal paragraph"),
        max_length=40,
        blank=True,
        default="",
        help_text=_("For residence permits, e.g. § 25 Abs. 2 AufenthG."),
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True, db_index=True)
    residence_obligation = models.CharField(
        _("residence obligation (Wohnsitzauflage)"),
        max_length=200,
        blank=True,
        default="",
        help_text=_("Place the person must live in; empty if there is none."),
    )
    work_permission = models.CharField(
        _("work permission"),
        max_length=16,
        choices=WorkPermission.choices,
        default=WorkPermission.UNKNOWN,
    )
    benefit_regime = models.CharField(
        _("benefit regime"), max_length=8, choices=BenefitRegime.choices, editable=False
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("residence status")
        verbose_name_plural = _("residence statuses")
        ordering = ["-valid_from", "-pk"]
        indexes = [
            models.Index(fields=["person", "valid_from"], name="people_residence_person_idx")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.paragraph}".strip()


class DomainTransition(TimeStampedModel):
    """A Rechtskreiswechsel: a new status moves a person from one benefit law to another."""

    compartment = Compartment(subject="person_id", category=DataCategory.RESIDENCE)

    class State(models.TextChoices):
        OPEN = "open", _("open")
        DONE = "done", _("handed over")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="transitions")
    owner_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    residence_status = models.ForeignKey(
        ResidenceStatus, on_delete=models.CASCADE, related_name="transitions"
    )
    from_regime = models.CharField(_("from"), max_length=8, choices=BenefitRegime.choices)
    to_regime = models.CharField(_("to"), max_length=8, choices=BenefitRegime.choices)
    effective_from = models.DateField(_("effective from"))
    state = models.CharField(
        _("state"), max_length=8, choices=State.choices, default=State.OPEN, db_index=True
    )

    class Meta:
        verbose_name = _("change of benefit regime")
        verbose_name_plural = _("changes of benefit regime")

    def __str__(self) -> str:
        return f"{self.from_regime} → {self.to_regime}"


class PersonMerge(TimeStampedModel):
    """Two records of one person: ``merged`` is shown through ``survivor`` until confirmed.

    Nothing is deleted; until confirmation the merge can be reverted.
    """

    compartment_exempt = "a merge record of the owning agency, checked in people.services"

    class State(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        CONFIRMED = "confirmed", _("confirmed")
        REVERTED = "reverted", _("reverted")

    survivor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_kept")
    merged = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_absorbed")
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PROPOSED
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True, default="")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("merge of person records")
        verbose_name_plural = _("merges of person records")

    def __str__(self) -> str:
        return f"{self.merged_id} → {self.survivor_id} ({self.state})"
