from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lotse.consent.categories import Compartment, DataCategory
from lotse.consent.models import PURPOSES_COVERING, CompartmentedItem, ConsentPurpose
from lotse.core.models import TimeStampedModel, VersionedModel
from lotse.directory.domains import LifeDomain as LifeDomain  # re-exported: cases call it theirs


class Phase(models.TextChoices):
    """The case-management cycle (DGCC)."""

    INTAKE = "intake", _("Intake")
    ASSESSMENT = "assessment", _("Assessment")
    PLANNING = "planning", _("Planning")
    IMPLEMENTATION = "implementation", _("Implementation")
    MONITORING = "monitoring", _("Monitoring")
    EVALUATION = "evaluation", _("Evaluation")
    CLOSED = "closed", pgettext_lazy("case phase", "Closed")


class ClosureReason(models.TextChoices):
    GOALS_REACHED = "goals_reached", _("Goals reached")
    MOVED_AWAY = "moved_away", _("Family moved away")
    ENDED_COOPERATION = "ended_cooperation", _("Family ended the cooperation")
    HANDED_OVER = "handed_over", _("Handed over")
    OTHER = "other", _("Other reason")


class CameVia(models.TextChoices):
    SELF = "self", _("On their own")
    AGENCY = "agency", _("Referred by an agency")
    OTHER = "other", _("Other way")


class Case(VersionedModel):
    """One case per household, worked on by several agencies (Fallverantwortung: the lead).

    The case itself holds coordination data — who leads, who takes part, the phase — shown to
    its participating agencies (``cases.access``). What it says about a person lives in
    compartmented items under it, one per person, each under that person's basis: being a
    participant opens nothing by itself.
    """

    household = models.OneToOneField(
        "people.Household",
        on_delete=models.PROTECT,
        related_name="case",
        verbose_name=_("household"),
    )
    lead_agency = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        related_name="led_cases",
        verbose_name=_("lead agency"),
    )
    lead_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="led_cases",
        verbose_name=_("lead case manager"),
    )
    phase = models.CharField(_("phase"), max_length=16, choices=Phase.choices, default=Phase.INTAKE)
    phase_since = models.DateTimeField(_("in this phase since"), default=timezone.now)
    opened_on = models.DateField(_("opened on"), default=timezone.localdate)
    came_via = models.CharField(
        _("how the family came"), max_length=8, choices=CameVia.choices, default=CameVia.SELF
    )
    referred_by = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("referred by"),
    )
    interpreter_language = models.CharField(
        _("interpreter needed for"), max_length=8, blank=True, default=""
    )
    closure_reason = models.CharField(
        _("reason for closing"), max_length=20, choices=ClosureReason.choices, blank=True
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["lead_agency", "phase"], name="cases_case_lead_phase_idx"),
            models.Index(fields=["lead_user", "phase"], name="cases_case_lead_user_idx"),
            # the DPO's retention list: closed cases by closing day
            models.Index(fields=["phase", "closed_on"], name="cases_case_closed_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.household_id} ({self.phase})"

    @property
    def is_closed(self) -> bool:
        return self.phase == Phase.CLOSED


class CasePhaseChange(models.Model):
    """One step of the cycle, for the case's timeline and the closure figures."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="phase_changes")
    from_phase = models.CharField(max_length=16, choices=Phase.choices)
    to_phase = models.CharField(max_length=16, choices=Phase.choices)
    closure_reason = models.CharField(
        max_length=20, choices=ClosureReason.choices, blank=True, default=""
    )
    note = models.CharField(_("note"), max_length=300, blank=True, default="")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("phase change")
        verbose_name_plural = _("phase changes")
        indexes = [models.Index(fields=["case", "changed_at"], name="cases_phase_change_idx")]

    def __str__(self) -> str:
        return f"{self.from_phase} → {self.to_phase}"


class CaseParticipant(TimeStampedModel):
    """An agency that works on the case, with the person to call there.

    ``categories`` are what it will see of the lead agency's content; the case cannot leave
    intake until a consent or legal basis covers them for every household member.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="participants")
    agency = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        related_name="case_participations",
        verbose_name=_("agency"),
    )
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contact person"),
    )
    categories = models.JSONField(_("what it will see"), default=list, blank=True)
    joined_on = models.DateField(_("taking part since"), default=timezone.localdate)
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        verbose_name = _("participating agency")
        verbose_name_plural = _("participating agencies")
        constraints = [
            models.UniqueConstraint(fields=["case", "agency"], name="cases_participant_unique")
        ]
        indexes = [
            models.Index(fields=["agency", "left_on", "case"], name="cases_participant_agency_idx")
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.agency_id}"


class CaseAssignment(TimeStampedModel):
    """A caseworker assigned to a case: the basis of need-to-know inside an agency (§ 35 SGB I).

    The lead case manager and each agency's contact person are assigned while they hold that
    role; further colleagues and substitutes (Vertretung) are assigned explicitly, substitutes
    with the dates they cover.
    """

    class Kind(models.TextChoices):
        LEAD = "lead", _("lead case manager")
        CONTACT = "contact", _("contact person")
        MEMBER = "member", _("team member")
        SUBSTITUTE = "substitute", _("substitute")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="case_assignments",
        verbose_name=_("caseworker"),
    )
    kind = models.CharField(_("as"), max_length=10, choices=Kind.choices)
    valid_from = models.DateField(_("from"), default=timezone.localdate)
    valid_until = models.DateField(_("until"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("case assignment")
        verbose_name_plural = _("case assignments")
        indexes = [
            # need-to-know: "the cases this user is assigned to today", for every content query
            models.Index(
                fields=["user", "agency", "valid_from", "valid_until", "case"],
                name="cases_assignment_user_idx",
            ),
            models.Index(fields=["case", "agency"], name="cases_assignment_case_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.case_id} ({self.kind})"


#: The journal is the case file: talks, calls, visits and letters serve the coordinated case
#: management and nothing else. A consent for a referral opens what the referral needs (the
#: person, the referral itself), a consent for a case conference opens the conference, its
#: minutes and the plan it discusses — neither opens the notes of the caseworkers' talks, which
#: are not conference material. A consent for benefits, residence matters or another purpose
#: opens no journal either.
JOURNAL_PURPOSES = PURPOSES_COVERING[ConsentPurpose.CASE_MANAGEMENT]


class JournalEntry(CompartmentedItem):
    """A talk, call, home visit, letter or decision about a person (a compartmented item),
    disclosed only under a consent for case management (``JOURNAL_PURPOSES``)."""

    compartment = Compartment(
        subject="subject_id",
        category=None,
        entrusted=True,
        purposes=JOURNAL_PURPOSES,
        author="author_id",
    )

    class Kind(models.TextChoices):
        TALK = "talk", _("Talk")
        PHONE_CALL = "phone_call", _("Phone call")
        HOME_VISIT = "home_visit", _("Home visit")
        EMAIL = "email", _("E-mail")
        LETTER = "letter", _("Letter")
        DECISION = "decision", pgettext_lazy("journal entry kind", "Decision")
        OTHER = "other", _("Other")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.TALK)
    text = models.TextField(_("text"))
    occurred_at = models.DateTimeField(_("occurred at"), default=timezone.now)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    # An entry starts on a person and is later linked to the family's case; an entry about the
    # whole household is one row per member with the same group, each under its own basis.
    case = models.ForeignKey(
        Case,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("case"),
    )
    group = models.UUIDField(_("group"), default=uuid.uuid4, db_index=True, editable=False)
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    interpreter_language = models.CharField(_("interpreter"), max_length=8, blank=True, default="")
    participants = models.CharField(_("who took part"), max_length=300, blank=True, default="")

    class Meta:
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")
        ordering = ["-occurred_at", "-pk"]
        indexes = [
            # (owner, category, subject): probed by the consent join on all three, and by the
            # legal-basis part of a count on (owner, category); with ``entrusted`` the counts
            # read the index alone.
            models.Index(
                fields=["owner_agency", "category", "subject", "entrusted"],
                name="cases_entry_owner_cat_idx",
            ),
            models.Index(fields=["subject", "occurred_at"], name="cases_entry_subject_idx"),
            # newest first over everything the member may see: scanned backwards until a page
            models.Index(fields=["occurred_at", "id"], name="cases_entry_time_idx"),
            models.Index(fields=["case", "occurred_at"], name="cases_entry_case_idx"),
            # the steering figures' contacts by channel: counted from the index alone
            models.Index(fields=["kind", "occurred_at"], name="cases_entry_kind_time_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_at:%Y-%m-%d}"


#: Which compartment an assessment of a domain falls into: its category decides who sees it.
DOMAIN_CATEGORY: dict[str, str] = {
    LifeDomain.RESIDENCE: DataCategory.RESIDENCE,
    LifeDomain.LANGUAGE: DataCategory.LANGUAGE,
    LifeDomain.HOUSING: DataCategory.HOUSING,
    LifeDomain.WORK: DataCategory.WORK,
    LifeDomain.EDUCATION: DataCategory.EDUCATION,
    LifeDomain.CHILDCARE: DataCategory.EDUCATION,
    LifeDomain.HEALTH: DataCategory.HEALTH,
    LifeDomain.FINANCES: DataCategory.FINANCES,
    LifeDomain.FAMILY: DataCategory.YOUTH_WELFARE,
    LifeDomain.PARTICIPATION: DataCategory.CASE_PLAN,
    LifeDomain.MOBILITY: DataCategory.CASE_PLAN,
}

#: Plan and assessment serve the case management and the conferences that discuss them; a
#: consent for benefits, residence matters or a referral opens none of them.
#:
#: Why a consent for a case conference opens the plan (goals, measures, assessments, unmet
#: needs) and not only the minutes: the conference *is* the discussion of the plan — its agenda
#: is the life domains of the assessment, its decisions are plan items (``case_plan``), and the
#: consent check before it is held (``services.conference_gaps``) asks every attending agency
#: for exactly these categories under the conference purpose. The family agrees to this agency
#: seeing its plan in order to plan with it at the table; an attendee that could not read the
#: goals it is asked to take on could not take part. The access lasts as long as the family's
#: consent does (it is time-limited and revocable on the next request), not "for ever", and it
#: covers only the categories the consent names. What the conference does not discuss — the
#: case journal, the caseworkers' notes of talks and visits — stays closed to it
#: (``JOURNAL_PURPOSES``).
PLAN_PURPOSES = PURPOSES_COVERING[ConsentPurpose.CASE_CONFERENCE]


class CaseItem(CompartmentedItem):
    """Content under a case: one row per person it is about, each under that person's basis.

    An item about several persons (a goal for both parents) is stored once per person with the
    same ``group``: whoever may see one parent's row sees the goal for that parent only.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    group = models.UUIDField(_("group"), default=uuid.uuid4, db_index=True, editable=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True


class Assessment(CaseItem):
    """The situation of one person in one life domain, with the need for support (0–3)."""

    compartment = Compartment(
        subject="subject_id", entrusted=True, purposes=PLAN_PURPOSES, author="author_id"
    )

    class Need(models.IntegerChoices):
        NONE = 0, _("no need")
        LOW = 1, _("low need")
        MEDIUM = 2, _("medium need")
        HIGH = 3, _("high need")

    domain = models.CharField(_("life domain"), max_length=16, choices=LifeDomain.choices)
    situation = models.TextField(_("situation"), blank=True, default="")
    resources = models.TextField(_("resources"), blank=True, default="")
    need = models.PositiveSmallIntegerField(_("need for support"), choices=Need.choices)
    assessed_on = models.DateField(_("assessed on"), default=timezone.localdate)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        indexes = [
            models.Index(
                fields=["owner_agency", "category", "subject", "entrusted"],
                name="cases_assess_owner_idx",
            ),
            models.Index(fields=["case", "subject", "domain"], name="cases_assess_case_idx"),
            models.Index(fields=["subject", "assessed_on"], name="cases_assess_subject_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.domain}: {self.need}"


class Goal(CaseItem):
    """A goal of the family integration plan, with the agency that owns it and its attainment
    on the five-point scale of goal attainment scaling (−2 … +2)."""

    compartment = Compartment(
        subject="subject_id",
        category=DataCategory.CASE_PLAN,
        purposes=PLAN_PURPOSES,
        author="author_id",
    )

    class Attainment(models.IntegerChoices):
        MUCH_LESS = -2, _("much less than expected")
        LESS = -1, _("less than expected")
        EXPECTED = 0, _("as expected")
        MORE = 1, _("more than expected")
        MUCH_MORE = 2, _("much more than expected")

    domain = models.CharField(_("life domain"), max_length=16, choices=LifeDomain.choices)
    text = models.CharField(_("goal"), max_length=500)
    responsible_agency = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owned by"),
    )
    target_date = models.DateField(_("target date"), null=True, blank=True)
    attainment = models.SmallIntegerField(
        _("attainment"), choices=Attainment.choices, null=True, blank=True
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        indexes = [
            models.Index(fields=["owner_agency", "subject"], name="cases_goal_owner_idx"),
            models.Index(fields=["case", "group"], name="cases_goal_case_idx"),
            models.Index(fields=["subject", "target_date"], name="cases_goal_subject_idx"),
        ]

    def __str__(self) -> str:
        return self.text


class Measure(CaseItem):
    """A step towards a goal, done by an agency by a date (later: an offer or a referral)."""

    compartment = Compartment(
        subject="subject_id",
        category=DataCategory.CASE_PLAN,
        purposes=PLAN_PURPOSES,
        author="author_id",
    )

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")
        CANCELLED = "cancelled", _("cancelled")

    goal_group = models.UUIDField(_("goal"), db_index=True)
    text = models.CharField(_("measure"), max_length=500)
    responsible_agency = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("done by"),
    )
    due_date = models.DateField(_("due by"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        indexes = [
            models.Index(fields=["owner_agency", "subject"], name="cases_measure_owner_idx"),
            models.Index(fields=["case", "goal_group"], name="cases_measure_case_idx"),
            models.Index(fields=["subject", "due_date"], name="cases_measure_subject_idx"),
        ]

    def __str__(self) -> str:
        return self.text


class CaseConference(VersionedModel):
    """A case conference (Fallkonferenz): the agencies, the family and an interpreter at one
    table. It may be held only once every attending agency is covered for the conference
    purpose; its minutes and decisions are per-person items under the case."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        HELD = "held", _("held")
        CANCELLED = "cancelled", _("cancelled")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="conferences")
    scheduled_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200, blank=True, default="")
    video_link = models.URLField(_("video link"), blank=True, default="")
    interpreter_language = models.CharField(
        _("interpreter for"), max_length=8, blank=True, default=""
    )
    #: Life domains on the agenda: what will be discussed decides the consent check.
    topics = models.JSONField(_("agenda"), default=list)
    agencies = models.ManyToManyField(
        "accounts.Agency", related_name="+", verbose_name=_("attending agencies")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    held_at = models.DateTimeField(_("held at"), null=True, blank=True)
    organised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("case conference")
        verbose_name_plural = _("case conferences")
        indexes = [models.Index(fields=["case", "scheduled_at"], name="cases_conf_case_idx")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.scheduled_at:%Y-%m-%d}"


class ConferenceAttendee(models.Model):
    """A family member at the conference (agencies attend through ``CaseConference.agencies``)."""

    compartment_exempt = "who of the family attended: shown only for members the reader may see"

    conference = models.ForeignKey(
        CaseConference, on_delete=models.CASCADE, related_name="attendees"
    )
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("family member attending")
        verbose_name_plural = _("family members attending")
        constraints = [
            models.UniqueConstraint(fields=["conference", "person"], name="cases_attendee_unique")
        ]

    def __str__(self) -> str:
        return f"{self.conference_id}: {self.person_id}"


#: Minutes of a conference open only under a consent whose purpose covers the conference.
CONFERENCE_PURPOSES = PURPOSES_COVERING[ConsentPurpose.CASE_CONFERENCE]


class ConferenceMinute(CaseItem):
    """What was said on one topic about one person (a topic about several: one row each)."""

    compartment = Compartment(
        subject="subject_id", entrusted=True, purposes=CONFERENCE_PURPOSES, author="author_id"
    )

    conference = models.ForeignKey(CaseConference, on_delete=models.PROTECT, related_name="minutes")
    topic = models.CharField(_("topic"), max_length=16, choices=LifeDomain.choices)
    text = models.TextField(_("minutes"))

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")
        indexes = [
            models.Index(
                fields=["owner_agency", "category", "subject", "entrusted"],
                name="cases_minute_owner_idx",
            ),
            models.Index(fields=["conference", "topic"], name="cases_minute_conf_idx"),
            models.Index(fields=["subject", "created_at"], name="cases_minute_subject_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.conference_id}: {self.topic}"


class ConferenceDecision(CaseItem):
    """A decision of the conference that someone must carry out by a date: a task with an
    owner (agency and person) until it is done."""

    compartment = Compartment(
        subject="subject_id",
        category=DataCategory.CASE_PLAN,
        purposes=CONFERENCE_PURPOSES,
        author="author_id",
    )

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        DONE = "done", _("done")

    conference = models.ForeignKey(
        CaseConference, on_delete=models.PROTECT, related_name="decisions"
    )
    text = models.CharField(_("decision"), max_length=500)
    responsible_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="conference_tasks",
        verbose_name=_("person responsible"),
    )
    due_date = models.DateField(_("due by"))
    status = models.CharField(_("status"), max_length=6, choices=Status.choices, default="open")

    class Meta:
        verbose_name = _("conference decision")
        verbose_name_plural = _("conference decisions")
        indexes = [
            models.Index(fields=["owner_agency", "subject"], name="cases_decision_owner_idx"),
            models.Index(fields=["conference"], name="cases_decision_conf_idx"),
            models.Index(fields=["subject", "due_date"], name="cases_decision_subject_idx"),
            models.Index(
                fields=["responsible_user", "status", "due_date"], name="cases_decision_task_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.text


class CaseHandover(TimeStampedModel):
    """The lead passes to another agency of the case (e.g. on a change of benefit law): an
    explicit step that the receiving agency accepts or declines."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="handovers")
    from_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    to_agency = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("to agency"),
    )
    reason = models.CharField(_("reason"), max_length=300)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("hand-over")
        verbose_name_plural = _("hand-overs")
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(state="proposed"),
                name="cases_one_open_handover",
            )
        ]
        indexes = [models.Index(fields=["to_agency", "state"], name="cases_handover_to_idx")]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_agency_id} → {self.to_agency_id} ({self.state})"


class UnmetNeed(CaseItem):
    """An assessed need for which the directory holds no suitable offer: a structural finding
    for the steering group (counted anonymously by domain and district)."""

    compartment = Compartment(subject="subject_id", purposes=PLAN_PURPOSES, author="author_id")

    assessment = models.ForeignKey(
        Assessment, on_delete=models.PROTECT, related_name="+", verbose_name=_("need")
    )
    domain = models.CharField(_("life domain"), max_length=16, choices=LifeDomain.choices)
    #: The family's district when it was marked, for the steering group's domain × district
    district = models.CharField(_("district"), max_length=32, blank=True, default="")
    note = models.TextField(_("what would be needed"))
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)

    class Meta:
        verbose_name = _("need without a suitable offer")
        verbose_name_plural = _("needs without a suitable offer")
        indexes = [
            models.Index(
                fields=["owner_agency", "category", "subject", "entrusted"],
                name="cases_unmet_owner_idx",
            ),
            models.Index(fields=["case", "assessment"], name="cases_unmet_case_idx"),
            models.Index(fields=["domain", "district"], name="cases_unmet_domain_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.domain}: {self.note[:40]}"


class CaseErasure(models.Model):
    """The erasure record (Lösch-Protokoll) of a case file erased after its retention period.

    What the law lets the city keep to prove the erasure (Art. 5 Abs. 2 GDPR): which case,
    which lead agency, closed when, erased when and by whom, and how many rows of each kind
    went — no name, no content. The household's Lotse ID stays only while the household
    itself stays (some member is still known elsewhere); erased with it, it is left blank.
    The case itself is gone, so ``case_id`` is a plain number.
    """

    compartment_exempt = "an erasure record: ids, dates and counts, no data about a person"

    case_id = models.BigIntegerField(_("case"), unique=True)
    household_public_id = models.CharField(
        _("household Lotse ID"), max_length=12, blank=True, default=""
    )
    lead_agency = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("lead agency"),
    )
    closed_on = models.DateField(_("closed on"))
    erased_at = models.DateTimeField(_("erased at"), default=timezone.now)
    #: Empty for an automatic run (``lotse erase_due_cases``).
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("erased by"),
    )
    automatic = models.BooleanField(_("erased automatically"), default=False)
    #: Rows erased per kind ("journal_entries": 12, "persons": 2, ...).
    counts = models.JSONField(_("rows erased"), default=dict)

    class Meta:
        verbose_name = _("erasure record")
        verbose_name_plural = _("erasure records")
        indexes = [
            models.Index(fields=["closed_on", "case_id"], name="cases_erasure_closed_idx"),
            models.Index(fields=["lead_agency", "erased_at"], name="cases_erasure_agency_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} ({self.erased_at:%Y-%m-%d})"


class AutomaticErasure(models.Model):
    """A lead agency lets ``lotse erase_due_cases`` erase its due cases without asking.

    Off unless a team lead of the agency switches it on: the timer's run then erases the
    agency's due cases each night, as the agency would by hand.
    """

    agency = models.OneToOneField(
        "accounts.Agency",
        on_delete=models.CASCADE,
        related_name="automatic_erasure",
        verbose_name=_("agency"),
    )
    switched_on_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    switched_on_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("automatic erasure")
        verbose_name_plural = _("automatic erasures")

    def __str__(self) -> str:
        return str(self.agency_id)
