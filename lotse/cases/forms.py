"""Input schema of the journal's quick entry: parse and name fields; the rules live in services."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotse.accounts.models import Agency, Membership
from lotse.accounts.roles import Capability
from lotse.consent.categories import DataCategory
from lotse.core.forms import KernForm, PlausibleDateField, date_input
from lotse.people.choices import District
from lotse.people.pickers import COMMON_LANGUAGES
from lotse.people.validation import language_codes, language_name

from .models import (
    Assessment,
    CameVia,
    CaseAssignment,
    ClosureReason,
    Goal,
    JournalEntry,
    LifeDomain,
    Measure,
    Phase,
)
from .selectors import FamilyFilters, FamilySort

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class JournalEntryForm(KernForm):
    kind = forms.ChoiceField(
        label=_("What was it?"), choices=JournalEntry.Kind.choices, initial=JournalEntry.Kind.TALK
    )
    category = forms.ChoiceField(
        label=_("What is it about?"),
        choices=DataCategory.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "This decides who may see the entry: another agency sees it only if the family "
            "agreed to share this kind of information with it, or a law allows it."
        ),
        error_messages={"required": _("Choose what the entry is about.")},
    )
    entrusted = forms.BooleanField(
        label=_("Confided in personal help (§ 65 SGB VIII)"),
        required=False,
        help_text=_(
            "The person confided this to you. No one outside the Jugendamt sees it without "
            "the person's own consent – no legal basis and no emergency access opens it."
        ),
    )
    text = forms.CharField(
        label=_("What happened?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Write what happened.")},
    )
    occurred_at = forms.DateTimeField(
        label=_("When?"),
        input_formats=[DATETIME_FORMAT],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
    )

    def __init__(self, *args: Any, may_entrust: bool, **kwargs: Any) -> None:
        now = timezone.localtime().replace(second=0, microsecond=0)
        kwargs.setdefault("initial", {"occurred_at": now})
        super().__init__(*args, **kwargs)
        if not may_entrust:
            # Only the Jugendamt records entrusted information: others never see the box.
            del self.fields["entrusted"]
        if not self.is_bound:
            # Straight to typing; after an error the error summary takes the focus instead.
            self.fields["kind"].widget.attrs["autofocus"] = True


# --- the case --------------------------------------------------------------------------------


def _agency_choices(exclude: int | None = None) -> list[tuple[str, str]]:
    agencies = Agency.objects.filter(is_active=True).order_by("name")
    if exclude is not None:
        agencies = agencies.exclude(pk=exclude)
    return [(a.code, a.name) for a in agencies]


def _caseworker_choices(agency_ids: list[int] | None = None) -> list[Any]:
    """Caseworkers with case content, grouped by agency: "Jugendamt" → "Ben Bauer"."""
    members = (
        Membership.objects.filter(is_active=True, user__is_active=True, agency__is_active=True)
        .select_related("user", "agency")
        .order_by("agency__name", "user__last_name", "user__first_name")
    )
    if agency_ids is not None:
        members = members.filter(agency_id__in=agency_ids)
    groups: dict[str, list[tuple[str, str]]] = {}
    seen: set[tuple[int, int]] = set()
    for m in members:
        if not m.can(Capability.READ_CASE_CONTENT) or (m.agency_id, m.user_id) in seen:
            continue
        seen.add((m.agency_id, m.user_id))
        groups.setdefault(m.agency.name, []).append((m.user.username, str(m.user)))
    return [("", _("— nobody named yet —")), *groups.items()]


def _set_choices(form: forms.Form, name: str, choices: list[Any]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared as one
    field.choices = choices


def _set_interpreter_choices(form: forms.Form, empty: Any) -> None:
    """The interpreter languages offered: those of immigration that the city's interpreter
    pools cover (``people.pickers.COMMON_LANGUAGES``, German left out), each once by its name,
    plus a language already chosen (the case's, or one sent) — a short native select that the
    keyboard works, not the ~8,000 languages of ISO 639."""
    name = "interpreter_language"
    current = {form.initial.get(name) or "", form.data.get(form.add_prefix(name)) or ""}
    known = language_codes()
    codes = [c for c in COMMON_LANGUAGES if c != "de"] + sorted(
        c for c in current if c and c in known and c not in COMMON_LANGUAGES
    )
    by_name: dict[str, str] = {}
    for code in codes:
        by_name.setdefault(language_name(code), code)
    _set_choices(
        form, name, [("", empty)] + [(code, label) for label, code in sorted(by_name.items())]
    )


class CaseOpenForm(KernForm):
    came_via = forms.ChoiceField(
        label=_("How did the family come?"),
        choices=CameVia.choices,
        initial=CameVia.SELF,
        widget=forms.RadioSelect,
    )
    referred_by = forms.ChoiceField(
        label=_("Referred by"),
        required=False,
        help_text=_("Only when an agency sent the family."),
    )
    interpreter_language = forms.ChoiceField(
        label=_("Interpreter needed for"),
        required=False,
        help_text=_("Leave empty when the talks can be held in German."),
    )
    urgent = forms.CharField(
        label=_("Urgent matters"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "What cannot wait (a deadline, an eviction, a health matter). Saved as a journal "
            "entry for each household member, under each person's consent."
        ),
    )
    urgent_category = forms.ChoiceField(
        label=_("The urgent matters are about"),
        choices=DataCategory.choices,
        initial=DataCategory.CASE_PLAN,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "referred_by", [("", "—"), *_agency_choices()])
        _set_interpreter_choices(self, "—")

    def referring_agency(self) -> Agency | None:
        code = self.cleaned_data.get("referred_by")
        return Agency.objects.filter(code=code).first() if code else None


class VersionForm(KernForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class TransitionForm(VersionForm):
    phase = forms.ChoiceField(label=_("Next phase"), choices=Phase.choices)
    reason = forms.ChoiceField(
        label=_("Why is the case closed?"),
        choices=[("", "—"), *ClosureReason.choices],
        required=False,
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=300,
        help_text=_("For the other agencies of the case; no personal details."),
    )


class ParticipantForm(VersionForm):
    agency = forms.ChoiceField(label=_("Agency"))
    contact = forms.ChoiceField(
        label=_("Contact person"),
        required=False,
        help_text=_("The person the other agencies call. Must work for the agency chosen."),
    )
    categories = forms.MultipleChoiceField(
        label=_("What it will see of your agency's content"),
        choices=DataCategory.choices,
        initial=[DataCategory.CASE_PLAN],
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Each needs a consent of every household member for case management or a legal "
            "basis before the case can leave intake."
        ),
        error_messages={"required": _("Choose at least one kind of information.")},
    )

    def __init__(self, *args: Any, lead_agency_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "agency", [("", "—"), *_agency_choices(exclude=lead_agency_id)])
        _set_choices(self, "contact", _caseworker_choices())


class LeadForm(VersionForm):
    user = forms.ChoiceField(label=_("New lead case manager"))

    def __init__(self, *args: Any, agency_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "user", _caseworker_choices([agency_id])[1:])


class AssignForm(KernForm):
    user = forms.ChoiceField(label=_("Caseworker"))
    kind = forms.ChoiceField(
        label=_("As"),
        choices=[
            (CaseAssignment.Kind.MEMBER, CaseAssignment.Kind.MEMBER.label),
            (CaseAssignment.Kind.SUBSTITUTE, CaseAssignment.Kind.SUBSTITUTE.label),
        ],
        widget=forms.RadioSelect,
        initial=CaseAssignment.Kind.MEMBER,
    )
    valid_from = PlausibleDateField(label=_("From"), required=False, widget=date_input())
    valid_until = PlausibleDateField(
        label=_("Until"),
        required=False,
        widget=date_input(),
        help_text=_("Needed for a substitute."),
    )

    def __init__(self, *args: Any, agency_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "user", _caseworker_choices([agency_id])[1:])


class FamilyFilterForm(KernForm):
    phase = forms.ChoiceField(
        label=_("Phase"), required=False, choices=[("", _("all open cases")), *Phase.choices]
    )
    district = forms.ChoiceField(
        label=_("District"), required=False, choices=[("", _("all")), *District.choices]
    )
    overdue = forms.BooleanField(label=_("Only overdue"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            (FamilySort.NEXT_DUE, _("next due item")),
            (FamilySort.LAST_CONTACT, _("longest without contact")),
            (FamilySort.PHASE, _("phase")),
            (FamilySort.NAME, _("household")),
        ],
    )
    unassigned = forms.BooleanField(label=_("Only cases nobody is assigned to"), required=False)

    def filters(self, *, scope: str) -> FamilyFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return FamilyFilters(
            phase=data.get("phase") or "",
            district=data.get("district") or "",
            overdue=bool(data.get("overdue")),
            sort=data.get("sort") or FamilySort.NEXT_DUE,
            scope=scope,
            unassigned=bool(data.get("unassigned")) and scope == "team",
        )


# --- assessment, plan, case journal -------------------------------------------------------------


class _CaseContentForm(KernForm):
    """A form about persons of a case: the persons offered are the members the member sees."""

    def __init__(
        self,
        *args: Any,
        members: list[tuple[str, str]],
        agencies: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for name in ("subjects", "person"):
            if name in self.fields:
                _set_choices(self, name, members)
        if "responsible_agency" in self.fields:
            _set_choices(self, "responsible_agency", [("", "—"), *agencies])


class AssessmentForm(_CaseContentForm):
    person = forms.ChoiceField(label=_("Person"))
    domain = forms.ChoiceField(label=_("Life domain"), choices=LifeDomain.choices)
    need = forms.TypedChoiceField(
        label=_("Need for support"),
        choices=Assessment.Need.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the need for support (0 to 3).")},
    )
    situation = forms.CharField(
        label=_("Situation"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    resources = forms.CharField(
        label=_("Resources and strengths"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    assessed_on = PlausibleDateField(label=_("Assessed on"), widget=date_input())
    entrusted = forms.BooleanField(
        label=_("Confided in personal help (§ 65 SGB VIII)"), required=False
    )


class GoalForm(_CaseContentForm):
    subjects = forms.MultipleChoiceField(
        label=_("For whom"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one person.")},
    )
    domain = forms.ChoiceField(label=_("Life domain"), choices=LifeDomain.choices)
    text = forms.CharField(label=_("Goal"), max_length=500)
    responsible_agency = forms.ChoiceField(label=_("Owned by"))
    target_date = PlausibleDateField(label=_("Target date"), required=False, widget=date_input())


class GoalEditForm(VersionForm):
    text = forms.CharField(label=_("Goal"), max_length=500)
    target_date = PlausibleDateField(label=_("Target date"), required=False, widget=date_input())
    attainment = forms.TypedChoiceField(
        label=_("Attainment"),
        choices=[("", _("not rated yet")), *Goal.Attainment.choices],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )


class MeasureForm(_CaseContentForm):
    text = forms.CharField(label=_("Measure"), max_length=500)
    responsible_agency = forms.ChoiceField(label=_("Done by"))
    due_date = PlausibleDateField(label=_("Due by"), required=False, widget=date_input())


class MeasureEditForm(VersionForm):
    status = forms.ChoiceField(
        label=_("Status"), choices=Measure.Status.choices, widget=forms.RadioSelect
    )
    due_date = PlausibleDateField(label=_("Due by"), required=False, widget=date_input())


class CaseEntryForm(_CaseContentForm):
    """Quick entry on the case page: everything reachable with the keyboard, defaults set.

    The text comes last and has the focus: type it, Tab to "Save", Enter.
    """

    field_order = [
        "subjects",
        "kind",
        "category",
        "follow_up_on",
        "participants",
        "interpreter_language",
        "text",
    ]

    subjects = forms.MultipleChoiceField(
        label=_("About"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one person.")},
    )
    kind = forms.ChoiceField(
        label=_("What was it?"), choices=JournalEntry.Kind.choices, initial=JournalEntry.Kind.TALK
    )
    category = forms.ChoiceField(
        label=_("What is it about?"),
        choices=DataCategory.choices,
        initial=DataCategory.CASE_PLAN,
        help_text=_("This decides who may see the entry."),
    )
    text = forms.CharField(
        label=_("What happened?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write what happened.")},
    )
    follow_up_on = PlausibleDateField(label=_("Follow up on"), required=False, widget=date_input())
    participants = forms.CharField(
        label=_("Who took part"),
        required=False,
        max_length=300,
        help_text=_("For example: Ms Haddad, Mr Abel (Jugendamt)."),
    )
    interpreter_language = forms.ChoiceField(label=_("Interpreter"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_interpreter_choices(self, _("none"))
        if not self.is_bound:
            # Straight to typing: persons, kind and category are preset, so a talk is noted
            # with the keyboard alone (type, Tab to the button, Enter).
            self.fields["text"].widget.attrs["autofocus"] = True


# --- conferences -------------------------------------------------------------------------------


class ConferenceForm(_CaseContentForm):
    scheduled_at = forms.DateTimeField(
        label=_("Date and time"),
        input_formats=[DATETIME_FORMAT],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
    )
    place = forms.CharField(label=_("Place"), required=False, max_length=200)
    video_link = forms.URLField(label=_("Video link"), required=False, assume_scheme="https")
    agencies = forms.MultipleChoiceField(
        label=_("Attending agencies"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one other agency of the case.")},
    )
    subjects = forms.MultipleChoiceField(
        label=_("Family members attending"), widget=forms.CheckboxSelectMultiple, required=False
    )
    topics = forms.MultipleChoiceField(
        label=_("Agenda"),
        choices=LifeDomain.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The topics decide which consents the conference needs."),
        error_messages={"required": _("Choose what the conference will discuss.")},
    )
    interpreter_language = forms.ChoiceField(label=_("Interpreter for"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        agencies = kwargs["agencies"]
        super().__init__(*args, **kwargs)
        _set_choices(self, "agencies", agencies)
        _set_interpreter_choices(self, "—")


class MinuteForm(_CaseContentForm):
    subjects = forms.MultipleChoiceField(
        label=_("About"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one person.")},
    )
    topic = forms.ChoiceField(label=_("Topic"))
    text = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, topics: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "topic", topics)


class DecisionForm(_CaseContentForm):
    subjects = forms.MultipleChoiceField(
        label=_("For"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one person.")},
    )
    text = forms.CharField(label=_("Decision"), max_length=500)
    responsible_agency = forms.ChoiceField(label=_("Carried out by"))
    responsible_user = forms.ChoiceField(label=_("Person responsible"), required=False)
    due_date = PlausibleDateField(label=_("Due by"), widget=date_input())

    def __init__(self, *args: Any, agency_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "responsible_user", _caseworker_choices(agency_ids))


class DecisionDueForm(KernForm):
    """The lead moves an open decision's due date, next to the decision on the conference page.

    ``shown`` is the due date the page showed (ISO): a decision has no ``version``, so the
    service refuses the change as stale when the date moved meanwhile. Each decision's form
    has ids of its own (``auto_id``), the field names stay plain.
    """

    due_date = PlausibleDateField(
        label=_("New due date"),
        widget=date_input(),
        error_messages={"required": _("Say by when it is to be done.")},
    )
    shown = forms.DateField(widget=forms.HiddenInput, input_formats=["%Y-%m-%d"])

    def __init__(self, *args: Any, group: uuid.UUID, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"due-{group}-%s")
        super().__init__(*args, **kwargs)
        self.group = group

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if "shown" in self.errors:
            # Not something to correct in a field: the page itself is broken or old.
            del self.errors["shown"]
            self.add_error(None, _("Reload the page and try again."))
        return cleaned
