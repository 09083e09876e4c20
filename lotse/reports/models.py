"""What the steering level records itself — none of it personal data.

Staff posts, steering-group meetings, cooperation agreements and the steering group's
handling of structural findings are facts about the network, not about families. The
committee report is a document with its own versions. Everything about families reaches
this app only as suppressed aggregates (``reports.aggregates``).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotse.core.models import TimeStampedModel, VersionedModel
from lotse.directory.domains import LifeDomain
from lotse.people.choices import District


class BuildingBlock(models.TextChoices):
    """The building blocks (Bausteine) of Kommunales Integrationsmanagement NRW."""

    COORDINATION = "coordination", _("Strategic coordination (building block 1)")
    CASE_MANAGEMENT = (
        "case_management",
        _("Case management across legal domains (building block 2)"),
    )
    FOREIGNERS_AUTHORITY = (
        "foreigners_authority",
        _("Foreigners' and naturalisation authority (building block 3)"),
    )
    OTHER = "other", _("Other funding")


class StaffPost(TimeStampedModel):
    """Staff posts in full-time equivalents (VZÄ) of one agency in one building block."""

    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("provider")
    )
    building_block = models.CharField(
        _("building block"), max_length=24, choices=BuildingBlock.choices
    )
    full_time_equivalents = models.DecimalField(
        _("full-time equivalents"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    valid_from = models.DateField(_("from"))
    valid_until = models.DateField(_("until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True, default="")

    class Meta:
        verbose_name = _("staff post")
        verbose_name_plural = _("staff posts")
        indexes = [
            models.Index(fields=["valid_from", "valid_until"], name="reports_post_valid_idx")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.building_block} {self.full_time_equivalents}"


class GovernanceMeeting(TimeStampedModel):
    """A meeting of the steering group or of a working group."""

    class Kind(models.TextChoices):
        STEERING_GROUP = "steering_group", _("Steering group")
        WORKING_GROUP = "working_group", _("Working group")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    held_on = models.DateField(_("held on"), db_index=True)
    title = models.CharField(_("title"), max_length=200)
    agencies = models.ManyToManyField(
        "accounts.Agency", related_name="+", blank=True, verbose_name=_("agencies present")
    )

    class Meta:
        verbose_name = _("steering meeting")
        verbose_name_plural = _("steering meetings")
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.title}"


class CooperationAgreement(TimeStampedModel):
    """A written agreement on how agencies work together (Kooperationsvereinbarung)."""

    title = models.CharField(_("title"), max_length=200)
    agencies = models.ManyToManyField(
        "accounts.Agency", related_name="+", verbose_name=_("partner agencies")
    )
    signed_on = models.DateField(_("signed on"), db_index=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("cooperation agreement")
        verbose_name_plural = _("cooperation agreements")
        ordering = ["-signed_on"]

    def __str__(self) -> str:
        return self.title


class FindingStatus(models.TextChoices):
    OPEN = "open", _("open")
    TAKEN_UP = "taken_up", _("taken up by the steering group")
    RESOLVED = "resolved", _("resolved")


class StructuralFinding(VersionedModel):
    """The steering group's handling of a gap that case work revealed: a life domain in a
    district (or the whole city) where needs found no suitable offer or offers had no room.

    How many families it concerns is never stored here: it is counted, suppressed, each time.
    """

    domain = models.CharField(_("life domain"), max_length=16, choices=LifeDomain.choices)
    district = models.CharField(
        _("district"), max_length=32, choices=District.choices, blank=True, default=""
    )
    status = models.CharField(
        _("status"), max_length=10, choices=FindingStatus.choices, default=FindingStatus.OPEN
    )
    measure = models.TextField(_("measure decided"), blank=True, default="")
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    meeting = models.ForeignKey(
        GovernanceMeeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="findings",
        verbose_name=_("meeting"),
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("structural finding")
        verbose_name_plural = _("structural findings")
        constraints = [
            models.UniqueConstraint(
                fields=["domain", "district"], name="reports_finding_domain_district_uniq"
            )
        ]

    def __str__(self) -> str:
        return f"{self.domain} {self.district or 'city'} {self.status}"


class CommitteeReport(VersionedModel):
    """A Berichtsvorlage for council committees, filled from the figures of its period.

    The form fields are the municipal template's; ``sessions`` is the Beratungsfolge as a list
    of ``{"date": "YYYY-MM-DD", "committee": str, "quality": str}``; ``sections`` the
    Begründung and the Anlage's narrative as a list of ``{"key", "heading", "text"}``. Each
    save also writes a :class:`CommitteeReportVersion` with the whole content.
    """

    class LabelStyle(models.TextChoices):
        MUNICIPAL = "municipal", _("Municipal template (Bericht, Drucks.-Nr.)")
        COUNCIL_SYSTEM = (
            "council_system",
            _("Council information system (Vorlage-Art, Federführend, Beratungsfolge)"),
        )

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        FINAL = "final", _("final")

    period_from = models.DateField(_("period from"))
    period_to = models.DateField(_("period until"))
    district = models.CharField(
        _("district"), max_length=32, choices=District.choices, blank=True, default=""
    )
    title = models.CharField(_("title"), max_length=300)
    label_style = models.CharField(
        _("labels"), max_length=16, choices=LabelStyle.choices, default=LabelStyle.MUNICIPAL
    )
    paper_type = models.CharField(_("kind of paper"), max_length=60, default="Bericht")
    business_area = models.CharField(_("business area"), max_length=200, blank=True, default="")
    department = models.CharField(_("department"), max_length=200, blank=True, default="")
    handler_name = models.CharField(_("handled by"), max_length=200, blank=True, default="")
    handler_phone = models.CharField(_("telephone"), max_length=40, blank=True, default="")
    handler_fax = models.CharField(_("fax"), max_length=40, blank=True, default="")
    handler_email = models.EmailField(_("e-mail"), blank=True, default="")
    file_number = models.CharField(_("file number"), max_length=60, blank=True, default="")
    report_date = models.DateField(_("date"), default=timezone.localdate)
    reference = models.CharField(_("paper number"), max_length=40, blank=True, default="")
    is_public = models.BooleanField(_("public"), default=True)
    sessions = models.JSONField(_("sessions"), default=list, blank=True)
    reason = models.TextField(_("reason for the paper"), blank=True, default="")
    proposal = models.TextField(_("proposed resolution"), blank=True, default="")
    signature = models.CharField(_("signature"), max_length=200, blank=True, default="")
    sections = models.JSONField(_("text sections"), default=list, blank=True)
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("committee report")
        verbose_name_plural = _("committee reports")
        ordering = ["-report_date", "-pk"]

    def __str__(self) -> str:
        return self.title


class CommitteeReportVersion(models.Model):
    """One saved state of a committee report, kept unchanged."""

    report = models.ForeignKey(CommitteeReport, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    content = models.JSONField(_("content"))
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    saved_at = models.DateTimeField(_("saved at"), default=timezone.now)

    class Meta:
        verbose_name = _("committee report version")
        verbose_name_plural = _("committee report versions")
        ordering = ["report", "number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="reports_version_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.report_id} v{self.number}"


class FigureRelease(models.Model):
    """The figures of a committee report as released to the council, kept unchanged.

    A report is released when it is saved as final (at the latest when a final report is
    first printed): its figures are counted once more, protected against every release
    before (:mod:`lotse.reports.release_audit`), and frozen here. The PDF, the Anlage and the
    edit page of the final report show these, so a released paper does not change when the
    data does, and every later figure request is protected against what it published.

    Only published values are kept — a withheld entry has none here, as in the PDF — so
    nothing in this table is more than the council received, and erasing a person leaves
    nothing of theirs behind in it. The audit needs no more: it asks which values the
    published figures allow, not what they were. ``figures`` is the published
    :class:`~lotse.reports.tables.Figures` (for showing them again), ``forms`` per table key
    the published entries with their periods and categories (for the audit).
    """

    report = models.ForeignKey(CommitteeReport, on_delete=models.PROTECT, related_name="releases")
    #: Whose data the figures count: "city", or "agency:<pk>" for one agency's.
    scope = models.CharField(_("scope"), max_length=40)
    period_from = models.DateField(_("period from"))
    period_to = models.DateField(_("period until"))
    #: The first day any of its columns counts (the start of the same period a year earlier).
    covers_from = models.DateField(_("counted from"))
    district = models.CharField(
        _("district"), max_length=32, choices=District.choices, blank=True, default=""
    )
    figures = models.JSONField(_("published figures"))
    forms = models.JSONField(_("published tables"))
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    released_at = models.DateTimeField(_("released at"), default=timezone.now)

    class Meta:
        verbose_name = _("figure release")
        verbose_name_plural = _("figure releases")
        ordering = ["released_at", "pk"]
        indexes = [
            models.Index(
                fields=["scope", "covers_from", "period_to"], name="reports_release_span_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.report_id} {self.period_from}–{self.period_to}"


class FigureSource(models.TextChoices):
    """Where published figures left the aggregate face."""

    SCREEN = "screen", _("figures page")
    API = "api", _("API")
    EXPORT = "export", _("download (CSV, XLSX)")
    REPORT = "report", _("committee report")


class ShownForm(models.Model):
    """The published form of one count table, as it left the aggregate face — on the figures
    page, through the API, as a download or in a committee report — kept for the audit of
    every later request of the same scope (:mod:`lotse.reports.release_audit`).

    Whatever leaves the face once is known from then on, to whoever saw it and to whoever
    they show it to; two coordinators can put their screens side by side. So what was shown
    is remembered per scope ("city", or "agency:<pk>" for one agency's figures), not per
    user, and every later request of overlapping periods is protected against it as against
    a released report.

    Like :class:`FigureRelease`, only published values are kept (a withheld entry has none),
    so nothing here is more than its viewer saw, and no row is about a person. Rows are only
    added, never changed: a table is remembered when it tells something no remembered table
    of its scope told (a new period, district or value) — the same request again adds
    nothing, so the memory grows with what was learnt, not with how often it was asked.
    ``covers_from``–``covers_to`` are the first and last day any of its figures counts; a
    request reads the rows of its scope whose days meet its own (an indexed range).
    """

    scope = models.CharField(_("scope"), max_length=40)
    table = models.CharField(_("table"), max_length=40)
    area = models.CharField(_("district"), max_length=32, blank=True, default="")
    covers_from = models.DateField(_("counted from"))
    covers_to = models.DateField(_("counted until"))
    form = models.JSONField(_("published table"))
    source = models.CharField(_("shown as"), max_length=8, choices=FigureSource.choices)
    shown_at = models.DateTimeField(_("shown at"), default=timezone.now)

    class Meta:
        verbose_name = _("shown figures")
        verbose_name_plural = _("shown figures")
        ordering = ["shown_at", "pk"]
        indexes = [
            models.Index(
                fields=["scope", "covers_from", "covers_to"], name="reports_shown_span_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.table} {self.covers_from}–{self.covers_to}"
