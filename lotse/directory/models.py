"""The directory of offers, modelled on Open Referral HSDS 3 (docs/hsds-profile.md).

Provider = HSDS organization, Location = location, Offer = service, OfferLocation =
service_at_location, Schedule = schedule (RFC 5545 recurrence). What Lotse adds to HSDS —
life domains, target groups, eligibility by residence status, districts, waiting list, the
public flag, the six-monthly check — is the German profile. The directory is not personal
data: it stays outside the compartment system (``compartment_exempt``).
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotse.core.models import TimeStampedModel, VersionedModel
from lotse.people.choices import District

from .domains import LifeDomain

#: A provider confirms its data at least this often; older offers are marked "check due".
CHECK_INTERVAL = timedelta(days=183)


class Provider(VersionedModel):
    """An organisation that runs offers (HSDS organization). Linked to a Lotse agency when
    the provider works in Lotse: its agency admins maintain the offers, and referrals to its
    offers reach that agency's inbox."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed, awaiting approval")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    hsds_id = models.UUIDField(_("HSDS id"), default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    alternate_name = models.CharField(_("other name"), max_length=200, blank=True, default="")
    description = models.TextField(_("description"))
    email = models.EmailField(_("e-mail"), blank=True, default="")
    website = models.URLField(_("website"), blank=True, default="")
    phone = models.CharField(_("phone"), max_length=40, blank=True, default="")
    agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("agency in Lotse"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="providers",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("note on the decision"), blank=True, default="")

    class Meta:
        verbose_name = _("provider")
        verbose_name_plural = _("providers")
        ordering = ["name"]
        indexes = [models.Index(fields=["status", "name"], name="dir_provider_status_idx")]

    def __str__(self) -> str:
        return self.name


class Location(TimeStampedModel):
    """Where an offer takes place (HSDS location with its physical address)."""

    hsds_id = models.UUIDField(_("HSDS id"), default=uuid.uuid4, unique=True, editable=False)
    provider = models.ForeignKey(
        Provider, on_delete=models.CASCADE, related_name="locations", verbose_name=_("provider")
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True, default="")
    street = models.CharField(_("street and number"), max_length=200, blank=True, default="")
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True, default="")
    city = models.CharField(_("city"), max_length=100, blank=True, default="")
    district = models.CharField(
        _("district"), max_length=32, choices=District.choices, blank=True, default=""
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    transportation = models.CharField(_("public transport"), max_length=200, blank=True, default="")
    wheelchair_accessible = models.BooleanField(_("step-free access"), null=True, blank=True)
    accessibility = models.CharField(
        _("accessibility notes"), max_length=300, blank=True, default=""
    )

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["name"]
        indexes = [models.Index(fields=["district"], name="dir_location_district_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def address_line(self) -> str:
        return ", ".join(
            part for part in (self.street, f"{self.postal_code} {self.city}".strip()) if part
        )


class FamilySituation(models.TextChoices):
    """Target groups by family situation (German profile)."""

    SINGLE_PARENT = "single_parent", _("single parents")
    FAMILY_WITH_CHILDREN = "family_with_children", _("families with children")
    PREGNANT = "pregnant", _("pregnant women")
    UNACCOMPANIED_MINOR = "unaccompanied_minor", _("unaccompanied minors")
    SINGLE_ADULT = "single_adult", _("single adults")
    SENIOR = "senior", _("older people")


class Offer(VersionedModel):
    """A support offer (HSDS service) with Lotse's additions."""

    class Status(models.TextChoices):
        # HSDS service.status values
        ACTIVE = "active", _("active")
        INACTIVE = "inactive", _("inactive")
        DEFUNCT = "defunct", _("discontinued")
        TEMPORARILY_CLOSED = "temporarily closed", _("temporarily closed")

    hsds_id = models.UUIDField(_("HSDS id"), default=uuid.uuid4, unique=True, editable=False)
    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="offers", verbose_name=_("provider")
    )
    name = models.CharField(_("name"), max_length=200)
    alternate_name = models.CharField(_("other name"), max_length=200, blank=True, default="")
    description = models.TextField(_("description"))
    url = models.URLField(_("web page"), blank=True, default="")
    email = models.EmailField(_("e-mail"), blank=True, default="")
    phone = models.CharField(_("phone"), max_length=40, blank=True, default="")
    status = models.CharField(
        _("status"), max_length=24, choices=Status.choices, default=Status.ACTIVE
    )
    application_process = models.TextField(_("how to apply"), blank=True, default="")
    interpretation_services = models.CharField(
        _("interpreting"), max_length=300, blank=True, default=""
    )
    # Target group and eligibility (HSDS: minimum_age, maximum_age, eligibility_description)
    minimum_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    sexes = models.JSONField(_("for"), default=list, blank=True, help_text=_("Empty: everyone."))
    family_situations = models.JSONField(_("family situations"), default=list, blank=True)
    residence_kinds = models.JSONField(
        _("residence statuses"),
        default=list,
        blank=True,
        help_text=_("Empty: open whatever the residence status."),
    )
    eligibility_description = models.TextField(_("who can take part"), blank=True, default="")
    citywide = models.BooleanField(
        _("for the whole city"),
        default=True,
        help_text=_("Otherwise only for the districts listed."),
    )
    # Costs (HSDS cost_option / fees_description)
    free_of_charge = models.BooleanField(_("free of charge"), default=True)
    fees_description = models.CharField(_("costs"), max_length=300, blank=True, default="")
    # Capacity (HSDS capacity, wait_time)
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    free_places = models.PositiveIntegerField(_("free places"), null=True, blank=True)
    waiting_list = models.BooleanField(_("waiting list"), default=False)
    wait_time = models.CharField(_("waiting time"), max_length=200, blank=True, default="")
    required_documents = models.JSONField(_("documents to bring"), default=list, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    is_public = models.BooleanField(
        _("public"), default=True, help_text=_("Shown in the public directory /angebote/.")
    )
    accepts_referrals = models.BooleanField(
        _("accepts referrals"),
        default=True,
        help_text=_("Pause this when the offer is full: no new referrals reach the inbox."),
    )
    checked_on = models.DateField(_("data checked on"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("data checked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    locations: models.ManyToManyField[Location, OfferLocation] = models.ManyToManyField(
        Location, through="OfferLocation", related_name="offers", blank=True
    )

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["status", "is_public"], name="dir_offer_status_idx"),
            models.Index(fields=["provider", "name"], name="dir_offer_provider_idx"),
            # The order of every list (``offers_search``): its first page is read off this
            # index instead of sorting every current offer.
            models.Index(fields=["name", "id"], name="dir_offer_name_idx"),
        ]
        # On PostgreSQL, migration 0002 adds trigram (pg_trgm) indexes for the text search on
        # UPPER(name) and UPPER(description), and on the provider's UPPER(name); they are not
        # declared here, as SQLite has no such index.

    def __str__(self) -> str:
        return self.name

    @property
    def domain_codes(self) -> list[str]:
        """The life domains, main domain first (prefetch ``domain_rows`` for lists)."""
        return [row.domain for row in sorted(self.domain_rows.all(), key=lambda r: r.position)]

    def check_due(self, today: date | None = None) -> bool:
        """Whether the six-monthly check is due; an ended offer needs none."""
        today = today or timezone.localdate()
        if self.has_ended(today):
            return False
        return self.checked_on is None or self.checked_on + CHECK_INTERVAL < today

    def has_ended(self, today: date | None = None) -> bool:
        """Whether the offer ran out: its last day (``valid_until``) lies in the past. An
        ended offer is kept for the referrals and exports that name it, and can be reopened."""
        today = today or timezone.localdate()
        return self.valid_until is not None and self.valid_until < today

    def is_current(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return (
            self.status == self.Status.ACTIVE
            and (self.valid_from is None or self.valid_from <= today)
            and (self.valid_until is None or self.valid_until >= today)
        )


class OfferDomain(models.Model):
    """A life domain of an offer; position 0 is its main domain. Rows (not a list field) so
    that filtering and matching by domain use an index."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="domain_rows")
    domain = models.CharField(_("life domain"), max_length=24, choices=LifeDomain.choices)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["domain", "offer"], name="directory_offerdomain_uniq")
        ]

    def __str__(self) -> str:
        return self.domain


class OfferLanguage(models.Model):
    """A language the offer is given in (HSDS language), ISO 639 code."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="languages")
    code = models.CharField(_("language"), max_length=8)
    note = models.CharField(_("note"), max_length=200, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["code", "offer"], name="directory_offerlanguage_uniq")
        ]

    def __str__(self) -> str:
        return self.code


class OfferDistrict(models.Model):
    """A district the offer serves when it is not city-wide (HSDS service_area)."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="districts")
    district = models.CharField(_("district"), max_length=32, choices=District.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["district", "offer"], name="directory_offerdistrict_uniq"
            )
        ]

    def __str__(self) -> str:
        return self.district


class OfferLocation(models.Model):
    """HSDS service_at_location."""

    hsds_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="at_locations")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="+")
    description = models.CharField(_("description"), max_length=300, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["offer", "location"], name="directory_offerlocation_uniq"
            )
        ]

    def __str__(self) -> str:
        return f"{self.offer_id}@{self.location_id}"


class Schedule(models.Model):
    """When an offer takes place: an RFC 5545 recurrence (HSDS schedule)."""

    class Frequency(models.TextChoices):
        DAILY = "DAILY", _("daily")
        WEEKLY = "WEEKLY", _("weekly")
        MONTHLY = "MONTHLY", _("monthly")

    hsds_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="schedules")
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    freq = models.CharField(
        _("frequency"), max_length=8, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    interval = models.PositiveSmallIntegerField(_("every"), default=1)
    #: RFC 5545 BYDAY, e.g. "MO,WE" or, monthly, "1TU"
    byday = models.CharField(_("days"), max_length=40, blank=True, default="")
    opens_at = models.TimeField(_("from"), null=True, blank=True)
    closes_at = models.TimeField(_("until"), null=True, blank=True)
    dtstart = models.DateField(_("first date"), null=True, blank=True)
    until = models.DateField(_("last date"), null=True, blank=True)
    description = models.CharField(_("description"), max_length=300, blank=True, default="")

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.rrule()

    def rrule(self) -> str:
        """The recurrence as an RFC 5545 RRULE value, e.g. ``FREQ=WEEKLY;BYDAY=MO,WE``."""
        from icalendar import vRecur

        parts: dict[str, object] = {"FREQ": self.freq}
        if self.interval and self.interval != 1:
            parts["INTERVAL"] = self.interval
        if self.byday:
            parts["BYDAY"] = self.byday.split(",")
        if self.until:
            parts["UNTIL"] = self.until
        rule: bytes = vRecur(parts).to_ical()  # type: ignore[no-untyped-call]
        return rule.decode()


class CityText(TimeStampedModel):
    """The public site's legal and help pages, per city and language, kept in the admin:
    Impressum, privacy notice (Art. 13 GDPR), accessibility statement (BITV 2.0) and the
    explanation in Leichte Sprache. Defaults ship with Lotse (``directory.public_texts``)."""

    class Page(models.TextChoices):
        IMPRINT = "impressum", _("Imprint")
        PRIVACY = "datenschutz", _("Privacy notice")
        ACCESSIBILITY = "barrierefreiheit", _("Accessibility statement")
        EASY_LANGUAGE = "leichte-sprache", _("Easy language")

    page = models.CharField(_("page"), max_length=24, choices=Page.choices)
    language = models.CharField(_("language"), max_length=8, default="de")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(
        _("text"), help_text=_("Paragraphs separated by a blank line; no HTML.")
    )

    class Meta:
        verbose_name = _("text of the public site")
        verbose_name_plural = _("texts of the public site")
        constraints = [
            models.UniqueConstraint(fields=["page", "language"], name="directory_citytext_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.get_page_display()} ({self.language})"
