"""Consent declarations, their denormalised grants, the legal-basis register, break-glass."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotse.accounts.models import Agency
from lotse.core.models import TimeStampedModel

from .categories import DataCategory
from .form import FORM_VERSION


class _JoinOnly:
    """Attribute access of :class:`MatchingGrants`: there is no single related object."""

    def __init__(self, field: models.Field[Any, Any]) -> None:
        self.field = field

    def __get__(self, instance: object, owner: type | None = None) -> Any:
        return None if instance is not None else self


class MatchingGrants(models.ForeignObject[Any, Any]):
    """A join to the consent grants matching an item; only for filtering and counting.

    Several grants may match one item (renewed consents), so the target is not unique and the
    relation is not readable as an attribute: queries through it use DISTINCT.
    """

    requires_unique_target = False
    forward_related_accessor_class = _JoinOnly


class CompartmentedItem(TimeStampedModel):
    """Every datum about a person that is more than "this person exists in my agency".

    ``owner_agency`` is the agency that collected it and never changes; ``category`` decides
    which consents, legal bases and firewall rules apply; ``entrusted`` marks data confided to
    the Jugendamt (§ 65 SGB VIII), shared only with the confider's consent.
    """

    subject = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    owner_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    category = models.CharField(_("category"), max_length=16, choices=DataCategory.choices)
    entrusted = models.BooleanField(
        _("entrusted (§ 65 SGB VIII)"),
        default=False,
        help_text=_("Confided to the Jugendamt in personal or educational help."),
    )
    # No column: the grants of the item's (subject, owner, category), joined on those three
    # columns directly, so that counting by consent needs no detour through the person table.
    matching_grants = MatchingGrants(
        "consent.ConsentGrant",
        on_delete=models.DO_NOTHING,
        from_fields=["subject", "owner_agency", "category"],
        to_fields=["subject", "disclosing_agency", "category"],
        related_name="+",
        editable=False,
        null=True,  # no column to be NOT NULL; keeps migrations from asking for a default
    )

    class Meta:
        abstract = True


def default_valid_until() -> date:
    return timezone.localdate() + timedelta(days=2 * 365)


class ConsentPurpose(models.TextChoices):
    CASE_MANAGEMENT = "case_management", _("Coordinated case management (integration plan)")
    CASE_CONFERENCE = "case_conference", _("Case conference")
    REFERRAL = "referral", _("Referral to a counselling or support offer")
    BENEFITS = "benefits", _("Clarifying benefits and the change of benefit law")
    RESIDENCE = "residence", _("Residence matters")
    OTHER = "other", _("Other purpose (described below)")


#: Which consent purposes open items that serve a use. A consent to coordinated case management
#: includes the family's case conferences; a consent for a conference opens the conference and
#: the plan it discusses; a referral opens what the referral needs. A consent for benefits or
#: residence matters opens no plan, assessment or minutes (``Compartment.purposes``).
PURPOSES_COVERING: dict[str, frozenset[str]] = {
    ConsentPurpose.CASE_MANAGEMENT: frozenset({ConsentPurpose.CASE_MANAGEMENT}),
    ConsentPurpose.CASE_CONFERENCE: frozenset(
        {ConsentPurpose.CASE_MANAGEMENT, ConsentPurpose.CASE_CONFERENCE}
    ),
    ConsentPurpose.REFERRAL: frozenset({ConsentPurpose.CASE_MANAGEMENT, ConsentPurpose.REFERRAL}),
}


class ConsentDeclaration(TimeStampedModel):
    compartment_exempt = "a consent itself: need-to-know by consent.rules, not by the policy"

    class Status(models.TextChoices):
        REQUESTED = "requested", _("requested")
        GIVEN = "given", _("given")
        REFUSED = "refused", _("refused")
        WITHDRAWN = "withdrawn", _("withdrawn")
        EXPIRED = "expired", _("expired")

    class GivenBy(models.TextChoices):
        SUBJECT = "subject", _("the person themself")
        GUARDIAN = "guardian", _("a parent or guardian (child under 15, § 36 SGB I)")

    subject = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="consent_declarations",
        verbose_name=_("person"),
    )
    given_by = models.CharField(
        _("given by"), max_length=10, choices=GivenBy.choices, default=GivenBy.SUBJECT
    )
    guardian_name = models.CharField(
        _("name of the guardian"), max_length=200, blank=True, default=""
    )
    disclosing_agencies = models.ManyToManyField(
        Agency, related_name="consents_disclosing", verbose_name=_("disclosing agencies")
    )
    recipient_agencies = models.ManyToManyField(
        Agency, related_name="consents_receiving", verbose_name=_("recipient agencies")
    )
    categories = models.JSONField(_("categories"), default=list)
    includes_entrusted = models.BooleanField(
        _("includes entrusted information"),
        default=False,
        help_text=_(
            "The person releases information they confided to the Jugendamt (§ 65 SGB VIII)."
        ),
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=ConsentPurpose.choices)
    purpose_text = models.CharField(_("purpose in detail"), max_length=500, blank=True, default="")
    valid_from = models.DateField(_("valid from"), default=timezone.localdate)
    valid_until = models.DateField(_("valid until"), default=default_valid_until)
    form_version = models.CharField(_("form version"), max_length=20, default=FORM_VERSION)
    form_language = models.CharField(_("form language"), max_length=5, default="de")
    signed_form = models.FileField(
        _("signed form"), upload_to="consents/%Y/", blank=True, default=""
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED, db_index=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recording_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("recording agency")
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawal_reason = models.CharField(
        _("reason for withdrawal"), max_length=500, blank=True, default=""
    )
    no_scan_reason = models.CharField(
        _("why there is no signed form"),
        max_length=300,
        blank=True,
        default="",
        help_text=_("Recorded when a consent is marked given without a scan of the signed form."),
    )

    class Meta:
        verbose_name = _("consent declaration")
        verbose_name_plural = _("consent declarations")
        ordering = ["-valid_from", "-pk"]

    def __str__(self) -> str:
        return f"#{self.pk} ({self.get_status_display()})"

    def effective_status(self, today: date | None = None) -> str:
        today = today or timezone.localdate()
        if self.status == self.Status.GIVEN and self.valid_until < today:
            return self.Status.EXPIRED
        return self.status


class DisclosureConfirmation(models.Model):
    """A disclosing agency has seen the signed form and accepts the consent.

    A consent releases a disclosing agency's data only once that agency recorded it or has
    confirmed it (DESIGN §3): until then it is pending for that agency and opens nothing of it,
    so no agency can open another's data by recording a consent in its name.
    """

    declaration = models.ForeignKey(
        ConsentDeclaration, on_delete=models.CASCADE, related_name="confirmations"
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), default=timezone.now)

    class Meta:
        verbose_name = _("confirmation by a disclosing agency")
        verbose_name_plural = _("confirmations by disclosing agencies")
        constraints = [
            models.UniqueConstraint(
                fields=["declaration", "agency"], name="consent_confirmation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.declaration_id} ✓ {self.agency_id}"


class ConsentGrant(models.Model):
    """One (subject, from, to, category) a given consent opens: ``visible_q`` is one EXISTS here."""

    compartment_exempt = "the policy's own index of consents; never shown as such"

    declaration = models.ForeignKey(
        ConsentDeclaration, on_delete=models.CASCADE, related_name="grants"
    )
    subject = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="grants")
    disclosing_agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    recipient_agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    category = models.CharField(max_length=16, choices=DataCategory.choices)
    # The declaration's purpose, copied so that items bound to purposes (``Compartment.purposes``)
    # are matched in the same index probe.
    purpose = models.CharField(max_length=20, choices=ConsentPurpose.choices, default="")
    includes_entrusted = models.BooleanField(default=False)
    valid_from = models.DateField()
    valid_until = models.DateField()
    active = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(
                fields=["subject", "recipient_agency", "category", "disclosing_agency"],
                name="consent_grant_lookup_idx",
            ),
            # Counting by consent starts from the recipient's grants, search from those of
            # one category; every column they read is in the index, so no table row is fetched.
            models.Index(
                fields=[
                    "recipient_agency",
                    "category",
                    "disclosing_agency",
                    "subject",
                    "valid_until",
                    "valid_from",
                    "active",
                    "includes_entrusted",
                    "purpose",
                ],
                name="consent_grant_recipient_idx",
            ),
        ]

    def __str__(self) -> str:
        route = f"{self.disclosing_agency_id}→{self.recipient_agency_id}"
        return f"{self.subject_id}: {route} {self.category}"


class LegalBasis(TimeStampedModel):
    """A flow without consent that a statute allows, kept by the DPO (e.g. § 50 SGB II)."""

    from_kind = models.CharField(_("from agency kind"), max_length=32, choices=Agency.Kind.choices)
    to_kind = models.CharField(_("to agency kind"), max_length=32, choices=Agency.Kind.choices)
    categories = models.JSONField(_("categories"), default=list)
    citation = models.CharField(_("citation"), max_length=200)
    note = models.TextField(_("note"), blank=True, default="")
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("legal basis")
        verbose_name_plural = _("legal bases")
        ordering = ["from_kind", "to_kind"]

    def __str__(self) -> str:
        return self.citation


class BreakGlass(TimeStampedModel):
    """Emergency access of a team lead to one person's items, reviewed by the DPO."""

    compartment_exempt = "a record of an access, shown to its user and the DPO only"

    class Review(models.TextChoices):
        PENDING = "pending", _("awaiting review")
        JUSTIFIED = "justified", _("justified")
        UNJUSTIFIED = "unjustified", _("not justified")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    # Empty when the Lotse ID typed matches no person: the request is answered and kept for
    # review exactly like any other, so the page cannot tell existing from missing IDs.
    subject = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    requested_id = models.CharField(_("Lotse ID asked for"), max_length=12, default="")
    reason = models.TextField(_("reason"))
    expires_at = models.DateTimeField(_("expires at"), db_index=True)
    review = models.CharField(
        _("review"), max_length=12, choices=Review.choices, default=Review.PENDING, db_index=True
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True, default="")

    class Meta:
        verbose_name = _("emergency access")
        verbose_name_plural = _("emergency accesses")
        indexes = [models.Index(fields=["user", "subject", "expires_at"], name="consent_bg_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.requested_id} until {self.expires_at:%Y-%m-%d %H:%M}"
