"""The append-only, hash-chained audit trail.

Each event stores the hash of its predecessor and a hash over its own fields, so changing or
deleting a row breaks the chain at that row (``lotse verify_audit`` names it). On PostgreSQL a
trigger also refuses UPDATE and DELETE outright.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class AuditAction(models.TextChoices):
    LOGIN_SUCCEEDED = "login_succeeded", _("Login succeeded")
    LOGIN_FAILED = "login_failed", _("Login failed")
    LOGOUT = "logout", _("Logout")
    SECOND_FACTOR_FAILED = "second_factor_failed", _("Wrong code at the second login step")
    SECOND_FACTOR_ENROLLED = "second_factor_enrolled", _("Second factor set up")
    RECOVERY_CODES_GENERATED = "recovery_codes_generated", _("New recovery codes generated")
    SECOND_FACTOR_RESET = "second_factor_reset", _("Second factor reset by an administrator")
    SECOND_FACTOR_REMOVED = "second_factor_removed", _("Passkey removed by its owner")
    MEMBERSHIP_SWITCHED = "membership_switched", _("Acting agency switched")
    API_TOKEN_CREATED = "api_token_created", _("API token created")
    API_TOKEN_REVOKED = "api_token_revoked", _("API token revoked")
    DEMO_SEEDED = "demo_seeded", _("Demo data loaded")
    BACKUP_CREATED = "backup_created", _("Backup created")
    BACKUP_RESTORED = "backup_restored", _("Backup restored")
    PERSON_REGISTERED = "person_registered", _("Person registered")
    PERSON_UPDATED = "person_updated", _("Person changed")
    PERSON_VIEWED = "person_viewed", _("Person viewed")
    PERSON_SEARCHED = "person_searched", _("Persons searched")
    HOUSEHOLD_REGISTERED = "household_registered", _("Household registered")
    HOUSEHOLD_VIEWED = "household_viewed", _("Household viewed")
    HOUSEHOLD_MEMBER_ADDED = "household_member_added", _("Member added to a household")
    HOUSEHOLD_MEMBER_MOVED_OUT = "household_member_moved_out", _("Member moved out of a household")
    HOUSEHOLD_ADDRESS_CHANGED = "household_address_changed", _("Household address changed")
    RESIDENCE_STATUS_ADDED = "residence_status_added", _("Residence status recorded")
    DOMAIN_TRANSITION_RECOGNISED = "domain_transition", _("Change of benefit law recognised")
    DUPLICATE_CHECKED = "duplicate_checked", _("Duplicate check run")
    DUPLICATE_HINT_SHOWN = "duplicate_hint_shown", _("Possible match at another agency hinted")
    DUPLICATE_HINTS_UNUSUAL = "duplicate_hints_unusual", _("Unusually many duplicate hints")
    PERSON_MERGE_PROPOSED = "person_merge_proposed", _("Merge of records proposed")
    PERSON_MERGE_CONFIRMED = "person_merge_confirmed", _("Merge of records confirmed")
    PERSON_MERGE_REVERTED = "person_merge_reverted", _("Merge of records reverted")
    CONSENT_RECORDED = "consent_recorded", _("Consent recorded")
    CONSENT_GIVEN = "consent_given", _("Consent given")
    CONSENT_REFUSED = "consent_refused", _("Consent refused")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent withdrawn")
    CONSENT_CONFIRMED = "consent_confirmed", _("Consent confirmed by a disclosing agency")
    CONSENT_EXPIRED = "consent_expired", _("Consent expired")
    CONSENT_VIEWED = "consent_viewed", _("Consent viewed")
    CONSENTS_EXPORTED = "consents_exported", _("Consent register exported")
    LEGAL_BASIS_SAVED = "legal_basis_saved", _("Legal basis saved")
    BREAK_GLASS_OPENED = "break_glass_opened", _("Emergency access opened")
    BREAK_GLASS_REVIEWED = "break_glass_reviewed", _("Emergency access reviewed")
    BREAK_GLASS_VIEWED = "break_glass_viewed", _("Emergency access page opened")
    JOURNAL_ENTRY_CREATED = "journal_entry_created", _("Journal entry recorded")
    JOURNAL_ENTRY_VIEWED = "journal_entry_viewed", _("Journal entry viewed")
    CASE_OPENED = "case_opened", _("Case opened")
    CASE_VIEWED = "case_viewed", _("Case viewed")
    CASES_LISTED = "cases_listed", _("Families listed")
    RETENTION_LISTED = "retention_listed", _("Closed cases due for erasure listed")
    CASE_PHASE_CHANGED = "case_phase_changed", _("Case phase changed")
    CASE_ERASED = "case_erased", _("Case file erased after the retention period")
    AUTO_ERASURE_CHANGED = "auto_erasure_changed", _("Automatic erasure switched on or off")
    CASE_PARTICIPANT_SAVED = "case_participant_saved", _("Participating agency saved")
    CASE_PARTICIPANT_LEFT = "case_participant_left", _("Participating agency left the case")
    CASE_ASSIGNED = "case_assigned", _("Caseworker assigned to a case")
    CASE_ASSIGNMENT_ENDED = "case_assignment_ended", _("Case assignment ended")
    CASE_LEAD_CHANGED = "case_lead_changed", _("Lead case manager changed")
    CASE_CONTENT_SAVED = "case_content_saved", _("Case content saved")
    CASE_CONFERENCE_SAVED = "case_conference_saved", _("Case conference saved")
    CASE_HANDOVER = "case_handover", _("Case handed over")
    CASE_PLAN_PRINTED = "case_plan_printed", _("Family integration plan printed")
    PROVIDER_PROPOSED = "provider_proposed", _("Provider proposed for the directory")
    PROVIDER_DECIDED = "provider_decided", _("Provider approved or rejected")
    OFFER_SAVED = "offer_saved", _("Offer saved")
    OFFERS_IMPORTED = "offers_imported", _("Offers imported")
    OFFERS_EXPORTED = "offers_exported", _("Offers exported")
    NEEDS_MATCHED = "needs_matched", _("Offers matched to a family's needs")
    NEED_UNMET = "need_unmet", _("Need marked as without a suitable offer")
    REFERRAL_SENT = "referral_sent", _("Referral sent")
    REFERRAL_CHANGED = "referral_changed", _("Referral answered or changed")
    REFERRAL_VIEWED = "referral_viewed", _("Referral viewed")
    REFERRALS_LISTED = "referrals_listed", _("Referrals listed")
    FIGURES_REQUESTED = "figures_requested", _("Anonymous figures requested")
    FIGURES_EXPORTED = "figures_exported", _("Anonymous figures exported")
    STEERING_RECORD_SAVED = "steering_record_saved", _("Steering record saved")
    COMMITTEE_REPORT_SAVED = "committee_report_saved", _("Committee report saved")
    COMMITTEE_REPORT_PRINTED = "committee_report_printed", _("Committee report printed")
    COMMITTEE_REPORT_EXPORTED = "committee_report_exported", _("Committee report exported")
    TASK_SAVED = "task_saved", _("Task saved")
    TASK_VIEWED = "task_viewed", _("Task viewed")
    TASKS_LISTED = "tasks_listed", _("Tasks listed")
    DEADLINE_TASKS_CREATED = "deadline_tasks_created", _("Tasks created from deadlines")
    DEADLINES_LISTED = "deadlines_listed", _("Deadlines listed")
    APPOINTMENT_SAVED = "appointment_saved", _("Appointment saved")
    APPOINTMENT_VIEWED = "appointment_viewed", _("Appointment viewed")
    APPOINTMENTS_LISTED = "appointments_listed", _("Appointments listed")
    CALENDAR_FEED_CHANGED = "calendar_feed_changed", _("Calendar address created or revoked")
    CALENDAR_FEED_READ = "calendar_feed_read", _("Calendar read by a calendar program")
    REMINDERS_CHANGED = "reminders_changed", _("Daily e-mail switched on or off")
    ACCESS_DENIED = "access_denied", _("Access denied")
    AUDIT_VIEWED = "audit_viewed", _("Audit trail viewed")
    ADMIN_ADDED = "admin_added", _("Added in the administration")
    ADMIN_CHANGED = "admin_changed", _("Changed in the administration")
    ADMIN_DELETED = "admin_deleted", _("Deleted in the administration")


class AuditEvent(models.Model):
    occurred_at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    agency = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agency"),
    )
    action = models.CharField(_("action"), max_length=64, db_index=True)
    target_type = models.CharField(_("target type"), max_length=64, blank=True, default="")
    target_id = models.CharField(_("target"), max_length=64, blank=True, default="")
    # The person the event concerns, as a plain id: audit depends on no domain app.
    subject_id = models.BigIntegerField(_("subject person"), null=True, blank=True, db_index=True)
    basis = models.CharField(_("basis"), max_length=255, blank=True, default="")
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["pk"]
        indexes = [
            models.Index(fields=["actor", "occurred_at"], name="audit_actor_time_idx"),
            models.Index(fields=["agency", "occurred_at"], name="audit_agency_time_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.action}"

    def compute_hash(self) -> str:
        payload: dict[str, Any] = {
            "prev": self.prev_hash,
            "time": self.occurred_at.isoformat(),
            "actor": self.actor_id,
            "agency": self.agency_id,
            "action": self.action,
            "target_type": self.target_type,
            "target_id": self.target_id,
            "subject": self.subject_id,
            "basis": self.basis,
            "detail": self.detail,
        }
        canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()


class AuditSubject(models.Model):
    """One person an event concerns, for events about several (a search, a list, a hint).

    An index of what the event's hashed ``detail["subjects"]`` already says, so the DPO's "who
    saw this person" finds list reads with one indexed look-up. Append-only like the events.
    """

    event = models.ForeignKey(AuditEvent, on_delete=models.PROTECT, related_name="subjects")
    subject_id = models.BigIntegerField(_("subject person"))

    class Meta:
        verbose_name = _("person concerned")
        verbose_name_plural = _("persons concerned")
        indexes = [models.Index(fields=["subject_id", "event"], name="audit_subject_idx")]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.subject_id}"
