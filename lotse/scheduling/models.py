"""Daily work: tasks, appointments, the deadline rules that create tasks, calendar feeds.

Tasks and appointments say something about a person (who needs what by when), so they are
compartmented items of the agency that made them. A task is the agency's own working note and
never leaves it; an appointment is shown to the agencies taking part in it, each under the
person's basis for the appointment's category (``access``).
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lotse.consent.categories import Compartment, DataCategory
from lotse.consent.models import CompartmentedItem, ConsentPurpose
from lotse.core.models import OptimisticLock

#: Appointments and tasks serve the case management and the conferences that plan it.
WORK_PURPOSES = frozenset({ConsentPurpose.CASE_MANAGEMENT, ConsentPurpose.CASE_CONFERENCE})


class DeadlineKind(models.TextChoices):
    RESIDENCE_EXPIRY = "residence_expiry", _("Residence permit expires")
    CONSENT_EXPIRY = "consent_expiry", _("Consent expires")
    KITA_AGE = "kita_age", _("Child reaches the age for a Kita place")
    SCHOOL_ENTRY = "school_entry", _("Child starts school")
    INTEGRATION_COURSE = "integration_course", _("Right to an integration course ends")
    DOMAIN_TRANSITION = "domain_transition", _("Change of benefit law needs a hand-over")
    REFERRAL_ANSWER = "referral_answer", _("Answer to a referral due")
    GOAL_TARGET = "goal_target", _("Goal of the plan due")
    FOLLOW_UP = "follow_up", _("Follow-up of a talk")
    CONFERENCE_DECISION = "conference_decision", _("Decision of a case conference due")


class DeadlineRule(models.Model):
    """One kind of deadline, as data: when to warn, and the legal reason shown beside it.

    ``lead_days`` are the warning steps before the deadline (e.g. 90, 30, 7); the task is
    created at the first step and names the step reached. The rule's logic (which records
    carry the deadline) lives in ``deadlines``; what changes per city (steps, wording, whether
    the rule runs at all) lives here and in the admin.
    """

    kind = models.CharField(_("kind"), max_length=24, choices=DeadlineKind.choices, unique=True)
    lead_days = models.JSONField(_("warn days ahead"), default=list)
    #: Blank: the default reason of the kind (translated); a city may write its own.
    legal_reason = models.CharField(_("legal reason"), max_length=400, blank=True, default="")
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")
        ordering = ["kind"]

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def reason(self) -> str:
        return self.legal_reason or str(DEFAULT_RULES[self.kind][1])

    @property
    def first_warning(self) -> int:
        return max((int(day) for day in self.lead_days), default=0)


class TaskStatus(models.TextChoices):
    OPEN = "open", _("open")
    DONE = "done", _("done")
    CANCELLED = "cancelled", _("cancelled")


class Task(CompartmentedItem, OptimisticLock):
    """Something the agency must do about a person by a date.

    Owned by a caseworker (``assignee``) or by a team of the agency (``team``, nobody yet);
    created by hand, from a conference decision, or by a deadline rule (``rule`` with a
    ``source_key`` naming the record and the date, so that each deadline makes one task).
    """

    compartment = Compartment(subject="subject_id", purposes=frozenset(), author="created_by_id")

    title = models.CharField(_("task"), max_length=200, blank=True, default="")
    note = models.TextField(_("note"), blank=True, default="")
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("case"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("assigned to"),
    )
    team = models.ForeignKey(
        "accounts.Team",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("team"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    rule = models.ForeignKey(
        DeadlineRule,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("deadline rule"),
    )
    #: What the task comes from ("residence:12:2027-03-01", "decision:4"); one task per key.
    source_key = models.CharField(max_length=80, blank=True, default="")
    #: The page that shows what the task is about (the consent to renew, the referral).
    link = models.CharField(max_length=200, blank=True, default="")
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("completed by"),
    )

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(
                fields=["owner_agency", "category", "subject", "entrusted"],
                name="sched_task_owner_idx",
            ),
            # "my open tasks by due date" and "the team's"
            models.Index(fields=["assignee", "status", "due_on"], name="sched_task_assignee_idx"),
            models.Index(fields=["team", "status", "due_on"], name="sched_task_team_idx"),
            models.Index(fields=["owner_agency", "status", "due_on"], name="sched_task_due_idx"),
            models.Index(fields=["subject", "due_on"], name="sched_task_subject_idx"),
            models.Index(fields=["case", "status"], name="sched_task_case_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["owner_agency", "source_key"],
                condition=~models.Q(source_key=""),
                name="sched_task_source_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.due_on:%Y-%m-%d})"

    @property
    def label(self) -> str:
        """What to call the task; a deadline's task is called by its rule."""
        if self.title or self.rule is None:
            return self.title
        return str(self.rule.get_kind_display())

    @property
    def is_open(self) -> bool:
        return self.status == TaskStatus.OPEN

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_on < timezone.localdate()


class TaskComment(models.Model):
    compartment_exempt = "part of the task; shown only with it"

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["task", "created_at"], name="sched_comment_task_idx")]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.created_at:%Y-%m-%d}"


class AppointmentStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    HELD = "held", _("held")
    MISSED = "missed", _("the family did not come")
    CANCELLED = "cancelled", _("cancelled")


class InterpreterState(models.TextChoices):
    NOT_NEEDED = "", _("no interpreter needed")
    NEEDED = "needed", _("needed, not booked yet")
    BOOKED = "booked", _("booked")


class Appointment(CompartmentedItem, OptimisticLock):
    """A meeting with a person or family: when, where, who takes part, what for, the outcome."""

    compartment = Compartment(
        subject="subject_id", category=None, purposes=WORK_PURPOSES, author="created_by_id"
    )

    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("case"),
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200, blank=True, default="")
    video_link = models.URLField(_("video link"), max_length=300, blank=True, default="")
    purpose = models.CharField(_("purpose"), max_length=300)
    interpreter_language = models.CharField(
        _("interpreter language"), max_length=8, blank=True, default=""
    )
    interpreter = models.CharField(
        _("interpreter"), max_length=8, choices=InterpreterState.choices, blank=True, default=""
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=AppointmentStatus.choices,
        default=AppointmentStatus.PLANNED,
    )
    outcome = models.TextField(_("outcome"), blank=True, default="")
    agencies: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        "accounts.Agency",
        through="AppointmentAgency",
        related_name="+",
        verbose_name=_("participating agencies"),
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="appointments",
        blank=True,
        verbose_name=_("staff taking part"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    cancelled_reason = models.CharField(_("reason"), max_length=300, blank=True, default="")

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(
                fields=["owner_agency", "category", "subject", "entrusted"],
                name="sched_appt_owner_idx",
            ),
            models.Index(fields=["owner_agency", "starts_at"], name="sched_appt_time_idx"),
            models.Index(fields=["subject", "starts_at"], name="sched_appt_subject_idx"),
            models.Index(fields=["case", "starts_at"], name="sched_appt_case_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def is_cancelled(self) -> bool:
        return self.status == AppointmentStatus.CANCELLED


class AppointmentAgency(models.Model):
    """An agency that takes part in an appointment (besides the one that made it)."""

    compartment_exempt = "part of the appointment; shown only with it"

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="+")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["appointment", "agency"], name="sched_appt_agency")
        ]
        indexes = [models.Index(fields=["agency", "appointment"], name="sched_appt_agency_idx")]

    def __str__(self) -> str:
        return f"{self.appointment_id}: {self.agency_id}"


class AppointmentParticipant(models.Model):
    """A family member taking part in an appointment; the person it is with always is one.

    Only members of the person's household take part. Who takes part is shown to a reader
    only for the persons that reader may see (``selectors.appointment_participants``): an
    agency that sees the appointment under the mother's consent does not learn that her son
    comes along.
    """

    compartment_exempt = "who of the family takes part: shown only for persons the reader may see"

    appointment = models.ForeignKey(
        Appointment, on_delete=models.CASCADE, related_name="participants"
    )
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("family member taking part")
        verbose_name_plural = _("family members taking part")
        constraints = [
            models.UniqueConstraint(fields=["appointment", "person"], name="sched_appt_participant")
        ]
        indexes = [models.Index(fields=["person", "appointment"], name="sched_appt_person_idx")]

    def __str__(self) -> str:
        return f"{self.appointment_id}: {self.person_id}"


def feed_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class CalendarFeed(models.Model):
    """A user's secret calendar address; only the hash of the token is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    agency = models.ForeignKey("accounts.Agency", on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        indexes = [models.Index(fields=["user", "revoked_at"], name="sched_feed_user_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} ({'revoked' if self.revoked_at else 'active'})"


class ReminderSubscription(models.Model):
    """A user's opt-in to the daily e-mail digest (counts and a link, never a name)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_subscription"
    )
    agency = models.ForeignKey("accounts.Agency", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    last_sent_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("daily reminder")
        verbose_name_plural = _("daily reminders")

    def __str__(self) -> str:
        return str(self.user_id)


#: The start set of deadline rules (seeded by a data migration; cities may change them).
DEFAULT_RULES: dict[str, tuple[list[int], Promise]] = {
    DeadlineKind.RESIDENCE_EXPIRY: (
        [90, 30, 7],
        _(
            "§ 81 Abs. 4 AufenthG: the extension must be applied for before the permit expires; "
            "only then does the Fiktionsbescheinigung keep the permit in force."
        ),
    ),
    DeadlineKind.CONSENT_EXPIRY: (
        [30],
        _(
            "Art. 7 GDPR: after the consent expires nothing may be passed on under it; talk to "
            "the family about renewing it."
        ),
    ),
    DeadlineKind.KITA_AGE: (
        [180, 90],
        _(
            "§ 24 Abs. 2 and 3 SGB VIII: a child has a right to a place from its first and third "
            "birthday; in NRW the place must be requested six months ahead (§ 3b KiBiz)."
        ),
    ),
    DeadlineKind.SCHOOL_ENTRY: (
        [300, 120],
        _(
            "§ 35 Abs. 1 SchulG NRW: children who turn six by 30 September start school on "
            "1 August; registration is in the autumn before."
        ),
    ),
    DeadlineKind.INTEGRATION_COURSE: (
        [120, 30],
        _(
            "§ 44 Abs. 2 AufenthG: the right to attend an integration course ends one year after "
            "the residence permit was issued."
        ),
    ),
    DeadlineKind.DOMAIN_TRANSITION: (
        [30, 7],
        _(
            "§ 7 SGB II, § 1 AsylbLG: with the new residence status the Jobcenter becomes "
            "responsible; hand the family over before the change takes effect."
        ),
    ),
    DeadlineKind.REFERRAL_ANSWER: (
        [0],
        _(
            "Agreed answer time of referrals (LOTSE_REFERRAL_ANSWER_DAYS): ask the receiving "
            "agency or send the family elsewhere."
        ),
    ),
    DeadlineKind.GOAL_TARGET: (
        [14],
        _("Family integration plan: review the goal with the family at its target date."),
    ),
    DeadlineKind.FOLLOW_UP: ([1], _("Follow-up agreed in the talk.")),
    DeadlineKind.CONFERENCE_DECISION: (
        [14],
        _(
            "Decided in the case conference: the agency named carries it out by the date "
            "agreed and reports back to the conference."
        ),
    ),
}

CATEGORY_OF_KIND: dict[str, str] = {
    DeadlineKind.RESIDENCE_EXPIRY: DataCategory.RESIDENCE,
    DeadlineKind.CONSENT_EXPIRY: DataCategory.IDENTITY,
    DeadlineKind.KITA_AGE: DataCategory.EDUCATION,
    DeadlineKind.SCHOOL_ENTRY: DataCategory.EDUCATION,
    DeadlineKind.INTEGRATION_COURSE: DataCategory.LANGUAGE,
    DeadlineKind.DOMAIN_TRANSITION: DataCategory.RESIDENCE,
    DeadlineKind.REFERRAL_ANSWER: DataCategory.CASE_PLAN,
    DeadlineKind.GOAL_TARGET: DataCategory.CASE_PLAN,
    DeadlineKind.FOLLOW_UP: DataCategory.CASE_PLAN,
    DeadlineKind.CONFERENCE_DECISION: DataCategory.CASE_PLAN,
}


def effective_rules() -> list[DeadlineRule]:
    """The rules in force: the city's stored rules, and the start set for kinds it has not
    stored (a fresh or flushed database still watches every deadline); switched-off rules
    are left out. Unsaved rules are saved by the deadline run, which links tasks to them."""
    stored = {rule.kind: rule for rule in DeadlineRule.objects.all()}
    rules = [
        stored.get(kind) or DeadlineRule(kind=kind, lead_days=list(DEFAULT_RULES[kind][0]))
        for kind in DeadlineKind.values
    ]
    return [rule for rule in rules if rule.is_active]
