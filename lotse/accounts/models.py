from __future__ import annotations

import hashlib
from datetime import datetime

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotse.core.models import TimeStampedModel

from .roles import Capability, Role, capabilities_of


class LegalDomain(models.TextChoices):
    SGB_II = "sgb_ii", _("SGB II (basic income for jobseekers)")
    SGB_III = "sgb_iii", _("SGB III (employment promotion)")
    SGB_VIII = "sgb_viii", _("SGB VIII (child and youth welfare)")
    SGB_XII = "sgb_xii", _("SGB XII (social assistance)")
    ASYLBLG = "asylblg", _("AsylbLG (asylum seekers' benefits)")
    AUFENTHG = "aufenthg", _("AufenthG (residence law)")
    SCHULG = "schulg", _("School law")
    TINTG = "tintg", _("Integration law (TIntG NRW)")
    NONE = "none", _("No statutory domain")


class Agency(TimeStampedModel):
    class Kind(models.TextChoices):
        INTEGRATION_OFFICE = "integration_office", _("Integration office")
        YOUTH_WELFARE_OFFICE = "youth_welfare_office", _("Youth welfare office")
        JOBCENTER = "jobcenter", _("Jobcenter")
        EMPLOYMENT_AGENCY = "employment_agency", _("Employment agency")
        SOCIAL_WELFARE_OFFICE = "social_welfare_office", _("Social welfare office")
        FOREIGNERS_AUTHORITY = "foreigners_authority", _("Foreigners' authority")
        SCHOOL_AUTHORITY = "school_authority", _("School authority")
        WELFARE_ASSOCIATION = "welfare_association", _("Welfare association")
        MIGRANT_ORGANISATION = "migrant_organisation", _("Migrant organisation")
        VOLUNTEER_INITIATIVE = "volunteer_initiative", _("Volunteer initiative")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    code = models.SlugField(_("short code"), max_length=16, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices, db_index=True)
    is_public_body = models.BooleanField(_("public body"), default=False)
    legal_domains = models.JSONField(
        _("legal domains"),
        default=list,
        blank=True,
        help_text=_("Codes of the legal domains the agency works in."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    need_to_know = models.BooleanField(
        _("only the assigned staff see case content"),
        default=False,
        help_text=_(
            "The social secret holds inside the agency too (§ 35 SGB I): when set, the "
            "agency's caseworkers see a family's content only while they are assigned to the "
            "family's case; team leads see their team's cases."
        ),
    )

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not isinstance(self.legal_domains, list):
            raise ValidationError({"legal_domains": _("Give a list of legal domain codes.")})
        unknown = sorted(set(self.legal_domains) - set(LegalDomain.values))
        if unknown:
            raise ValidationError(
                {
                    "legal_domains": _("Unknown legal domain: %(codes)s")
                    % {"codes": ", ".join(map(str, unknown))}
                }
            )


class User(AbstractUser):
    """A person who works with Lotse. Acts for an agency through a membership."""

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def primary_membership(self) -> Membership | None:
        return (
            self.memberships.filter(is_active=True, agency__is_active=True)
            .select_related("agency")
            .order_by("pk")
            .first()
        )


class Team(TimeStampedModel):
    """A team inside an agency: its team lead sees and assigns the cases of its members."""

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="teams", verbose_name=_("agency")
    )
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="accounts_team_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Membership(TimeStampedModel):
    """The user acts for ``agency`` in ``role``; one user may hold several memberships."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("agency")
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, db_index=True)
    is_active = models.BooleanField(_("active"), default=True)
    team = models.ForeignKey(
        Team,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("team"),
    )
    phone = models.CharField(
        _("work phone"),
        max_length=40,
        blank=True,
        default="",
        help_text=_("Shown to the other agencies of a case as the number to call."),
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "agency", "role"], name="accounts_membership_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.agency.code} – {self.get_role_display()}"

    def clean(self) -> None:
        if self.team is not None and self.team.agency_id != self.agency_id:
            raise ValidationError({"team": _("The team belongs to another agency.")})

    @property
    def capabilities(self) -> frozenset[Capability]:
        return capabilities_of(self.role)

    def can(self, capability: Capability) -> bool:
        return capability in self.capabilities


def hash_api_token(raw_token: str) -> str:
    # Tokens are 256 random bits, so a fast hash is enough; the raw token is never stored.
    return hashlib.sha256(raw_token.encode()).hexdigest()


class ApiToken(models.Model):
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100, blank=True, default="")
    prefix = models.CharField(_("prefix"), max_length=12, help_text=_("Start of the token."))
    key_hash = models.CharField(_("hash"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    def is_usable(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now
