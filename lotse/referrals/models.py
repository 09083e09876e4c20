"""Closed-loop referrals between agencies (modelled on FHIR Task for referral management).

A referral is a compartmented item of the sending agency about the person referred. The
receiving agency sees it as its addressee: what went with it was checked against the access
core for the referral purpose when it was sent (``services.referral_send``). Every change of
state is a ``ReferralEvent`` — on the case's timeline and in the audit trail.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotse.consent.categories import Compartment, DataCategory
from lotse.consent.models import CompartmentedItem, ConsentPurpose


class Status(models.TextChoices):
    SENT = "sent", _("sent")
    RECEIVED = "received", _("received")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")
    WAITLISTED = "waitlisted", _("on the waiting list")
    IN_PROGRESS = "in_progress", _("in progress")
    COMPLETED = "completed", _("completed")
    NOT_COMPLETED = "not_completed", _("not completed")
    CANCELLED = "cancelled", _("cancelled by the sender")
    EXPIRED = "expired", _("expired without an answer")


#: Waiting for the receiving agency's answer.
UNANSWERED = frozenset({Status.SENT, Status.RECEIVED})
#: No further change.
FINAL = frozenset(
    {Status.DECLINED, Status.COMPLETED, Status.NOT_COMPLETED, Status.CANCELLED, Status.EXPIRED}
)


class Urgency(models.TextChoices):
    ROUTINE = "routine", _("routine")
    SOON = "soon", _("within a week")
    URGENT = "urgent", _("urgent")


class DeclineReason(models.TextChoices):
    CAPACITY = "capacity", _("no capacity")
    NOT_ELIGIBLE = "not_eligible", _("not eligible")
    FAMILY_DECLINED = "family_declined", _("the family declined")
    OTHER = "other", _("other reason")


class NotCompletedReason(models.TextChoices):
    DROPPED_OUT = "dropped_out", _("the family stopped taking part")
    MOVED = "moved", _("the family moved away")
    NOT_SUITABLE = "not_suitable", _("the offer did not suit")
    OTHER = "other", _("other reason")


def default_answer_due() -> date:
    """``LOTSE_REFERRAL_ANSWER_DAYS`` from today: then it is overdue and escalates."""
    return timezone.localdate() + timedelta(days=settings.REFERRAL_ANSWER_DAYS)


def default_expires_on() -> date:
    """``LOTSE_REFERRAL_EXPIRY_DAYS`` from today: then an unanswered referral expires."""
    return timezone.localdate() + timedelta(days=settings.REFERRAL_EXPIRY_DAYS)


class Referral(CompartmentedItem):
    compartment = Compartment(
        subject="subject_id",
        category=DataCategory.CASE_PLAN,
        purposes=frozenset(
            {
                ConsentPurpose.CASE_MANAGEMENT,
                ConsentPurpose.CASE_CONFERENCE,
                ConsentPurpose.REFERRAL,
            }
        ),
        author="sent_by_id",
    )

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="referrals", verbose_name=_("case")
    )
    #: The measure of the plan the referral carries out, if any (one person's row).
    measure = models.ForeignKey(
        "cases.Measure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("measure"),
    )
    #: The assessed need it answers, if any.
    assessment = models.ForeignKey(
        "cases.Assessment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("need"),
    )
    to_agency = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        related_name="referrals_received",
        verbose_name=_("to agency"),
    )
    to_offer = models.ForeignKey(
        "directory.Offer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("offer"),
    )
    #: The data categories that go with the referral (identity always does).
    categories = models.JSONField(_("data that goes with it"), default=list)
    message = models.TextField(_("message"))
    urgency = models.CharField(
        _("urgency"), max_length=8, choices=Urgency.choices, default=Urgency.ROUTINE
    )
    language = models.CharField(_("language of the family"), max_length=8, blank=True, default="")
    interpreter_needed = models.BooleanField(_("interpreter needed"), default=False)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.SENT
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("sent by"),
    )
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    answer_due = models.DateField(_("answer due by"), default=default_answer_due)
    expires_on = models.DateField(_("expires on"), default=default_expires_on)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )
    decline_reason = models.CharField(
        _("reason"), max_length=16, choices=DeclineReason.choices, blank=True, default=""
    )
    not_completed_reason = models.CharField(
        _("reason"), max_length=16, choices=NotCompletedReason.choices, blank=True, default=""
    )
    feedback = models.TextField(_("feedback"), blank=True, default="")
    status_changed_at = models.DateTimeField(_("last change"), default=timezone.now)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [
            models.Index(
                fields=["owner_agency", "category", "subject", "entrusted"],
                name="referral_owner_idx",
            ),
            models.Index(fields=["to_agency", "status", "answer_due"], name="referral_inbox_idx"),
            models.Index(fields=["case", "sent_at"], name="referral_case_idx"),
            models.Index(fields=["status", "expires_on"], name="referral_expiry_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.pk}: {self.status}"

    @property
    def is_overdue(self) -> bool:
        return self.status in UNANSWERED and self.answer_due < timezone.localdate()


class ReferralEvent(models.Model):
    """One change of a referral's state, with who made it and the note."""

    compartment_exempt = "part of the referral; shown only with it"
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    at = models.DateTimeField(_("time"), default=timezone.now)
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("note"), blank=True, default="")

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["referral", "at"], name="referral_event_idx")]

    def __str__(self) -> str:
        return f"{self.referral_id}: {self.status}"
