"""Input schemas of the consent pages: parse and name fields; the rules live in the services.

The services refuse what the law forbids (a firewall rule, a child consenting alone, a wrong
file) with a ``ValidationError`` naming the field; ``core.forms.apply_service_errors`` puts
that message back on the field, and ``core.forms.error_summary`` lists every error above the
form, each naming its field. :data:`CATEGORY_HELP` explains each category beside its choice
(``core.forms.explained_choices``), here and on the journal's pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lotse.accounts.models import Agency
from lotse.core.forms import (
    KernForm,
    PlausibleDateField,
    SafeModelChoiceField,
    SafeModelMultipleChoiceField,
    date_input,
)

from . import firewall
from .categories import DataCategory
from .form import FORM_VERSION, LANGUAGES, TEXTS
from .models import BreakGlass, ConsentDeclaration, ConsentPurpose, default_valid_until

#: A person's Lotse ID (``people.models.new_person_id``).
PERSON_ID = re.compile(r"P-[0-9A-Z]{4}-[0-9A-Z]{4}")

# What belongs to each category, in plain words: shown beside every category choice.
CATEGORY_HELP: dict[str, Promise] = {
    DataCategory.IDENTITY: _("Name, date of birth, address, phone, nationality."),
    DataCategory.RESIDENCE: _("Residence permit or toleration, its deadlines and conditions."),
    DataCategory.LANGUAGE: _("German courses, the integration course, language level."),
    DataCategory.EDUCATION: _("School, Kita and childcare, school attendance."),
    DataCategory.WORK: _("Job, training, qualifications and their recognition."),
    DataCategory.HOUSING: _("Flat or accommodation, the search for a flat, rent."),
    DataCategory.FINANCES: _("Benefits, income, debts, applications for money."),
    DataCategory.YOUTH_WELFARE: _("Family situation, parenting, help from the Jugendamt."),
    DataCategory.HEALTH: _(
        "Illness, disability, pregnancy, mental health, therapy. Specially protected."
    ),
    DataCategory.CASE_PLAN: _("The family's goals, the agreed steps and who does what."),
}


# --- consents ----------------------------------------------------------------------------------


class AgencyChoiceField(SafeModelMultipleChoiceField):
    def label_from_instance(self, obj: Agency) -> str:
        return f"{obj.name} ({obj.get_kind_display()})"


def _agencies() -> Any:
    return Agency.objects.filter(is_active=True).order_by("name")


def _language_choices() -> list[tuple[str, str]]:
    return [(code, TEXTS[code].name) for code in LANGUAGES]


def signed_form_field() -> forms.FileField:
    return forms.FileField(
        label=_("Signed form"),
        required=False,
        help_text=_("A scan or photo as PDF, JPEG or PNG, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )


def no_scan_reason_field() -> forms.CharField:
    return forms.CharField(
        label=_("No scan yet? Say why"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed for “given” without a scan, e.g. “signed on paper, scan follows”."),
    )


class ConsentForm(KernForm):
    status = forms.ChoiceField(
        label=_("What did the person decide?"),
        choices=[
            (ConsentDeclaration.Status.REQUESTED, _("Asked for, not decided yet")),
            (ConsentDeclaration.Status.GIVEN, _("Consent given (the form is signed)")),
            (ConsentDeclaration.Status.REFUSED, _("Consent refused")),
        ],
        initial=ConsentDeclaration.Status.REQUESTED,
        widget=forms.RadioSelect,
        help_text=_(
            "Print the form first, read it with the family, and record “given” once it is "
            "signed — with the scan, or with the reason why there is none yet."
        ),
    )
    given_by = forms.ChoiceField(
        label=_("Who gives the consent?"),
        choices=ConsentDeclaration.GivenBy.choices,
        initial=ConsentDeclaration.GivenBy.SUBJECT,
        widget=forms.RadioSelect,
        help_text=_("For a child under 15 a parent or guardian decides (§ 36 SGB I)."),
    )
    guardian_name = forms.CharField(
        label=_("Name of the parent or guardian"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("Only when a parent or guardian consents for a minor."),
    )
    also_for = forms.MultipleChoiceField(
        label=_("The same consent also for"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Members of the same household you may see; each gets a consent of their own. "
            "For a child under 15 the parent or guardian named above consents."
        ),
    )
    recipient_agencies = AgencyChoiceField(
        label=_("Who may receive the information?"),
        queryset=Agency.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Name each agency. A consent for “all authorities” is not valid. Your own "
            "agency is not listed: a consent for it is recorded by the agency that passes on."
        ),
    )
    disclosing_agencies = AgencyChoiceField(
        label=_("Who may pass it on?"),
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Your agency passes on what it recorded. Another agency's information is passed "
            "on only once that agency has seen the signed form and confirmed the consent."
        ),
    )
    categories = forms.MultipleChoiceField(
        label=_("Which information?"),
        choices=DataCategory.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    includes_entrusted = forms.BooleanField(
        label=_("Includes what the person confided to the Jugendamt"),
        required=False,
        help_text=_(
            "Only matters when the Jugendamt passes information on: without this, what was "
            "confided to it stays there (§ 65 SGB VIII)."
        ),
    )
    purpose = forms.ChoiceField(
        label=_("What for?"), choices=ConsentPurpose.choices, widget=forms.RadioSelect
    )
    purpose_text = forms.CharField(
        label=_("Purpose in your words"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required for “Other purpose”."),
    )
    valid_from = PlausibleDateField(label=_("Valid from"), widget=date_input())
    valid_until = PlausibleDateField(
        label=_("Valid until"), widget=date_input(), help_text=_("Usually two years.")
    )
    form_language = forms.ChoiceField(
        label=_("Language of the form the person read"), choices=_language_choices
    )
    form_version = forms.CharField(label=_("Form version"), max_length=20)
    signed_form = signed_form_field()
    no_scan_reason = no_scan_reason_field()

    def __init__(
        self,
        *args: Any,
        agency: Agency,
        household_members: list[tuple[str, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault(
            "initial",
            {
                "valid_from": timezone.localdate(),
                "valid_until": default_valid_until(),
                "form_version": FORM_VERSION,
                "form_language": "de",
                "disclosing_agencies": [agency.pk],
            },
        )
        super().__init__(*args, **kwargs)
        agencies = _agencies()
        recipients = self.fields["recipient_agencies"]
        disclosing = self.fields["disclosing_agencies"]
        assert isinstance(recipients, forms.ModelMultipleChoiceField)  # noqa: S101
        assert isinstance(disclosing, forms.ModelMultipleChoiceField)  # noqa: S101
        # Never one's own agency as recipient (rules.NOT_TO_ONESELF): it is not even offered.
        recipients.queryset = agencies.exclude(pk=agency.pk)
        disclosing.queryset = agencies
        also_for = self.fields["also_for"]
        assert isinstance(also_for, forms.MultipleChoiceField)  # noqa: S101
        also_for.choices = household_members or []
        if not household_members:
            del self.fields["also_for"]

    def prefill(self, query: Any) -> None:
        """Fill in who receives, which information and what for from an address (a consent
        gap links here). Only what the form itself would offer is taken — an agency it lists
        as recipient, a known category, a known purpose; anything else is left out. It fills
        in an unbound form and nothing more: what is recorded is decided on sending, by the
        form and the consent services."""
        if self.is_bound or not hasattr(query, "getlist"):
            return
        recipients = self.fields["recipient_agencies"]
        assert isinstance(recipients, forms.ModelMultipleChoiceField)  # noqa: S101
        # Ids a BIGINT can hold (18 digits) or none: a longer number is no agency, not a 500.
        wanted = [
            int(value)
            for value in query.getlist("recipient_agencies")[:50]
            if value.isdigit() and len(value) <= 18
        ]
        queryset = recipients.queryset
        assert queryset is not None  # noqa: S101 - set in __init__
        offered = set(queryset.filter(pk__in=wanted).values_list("pk", flat=True))
        filled: dict[str, Any] = {
            "recipient_agencies": list(dict.fromkeys(pk for pk in wanted if pk in offered)),
            "categories": list(
                dict.fromkeys(
                    value
                    for value in query.getlist("categories")[:50]
                    if value in DataCategory.values
                )
            ),
        }
        purpose = query.get("purpose", "")
        if purpose in ConsentPurpose.values:
            filled["purpose"] = purpose
        self.initial = {**self.initial, **{key: value for key, value in filled.items() if value}}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            cleaned.get("status") == ConsentDeclaration.Status.GIVEN
            and not cleaned.get("signed_form")
            and not str(cleaned.get("no_scan_reason") or "").strip()
        ):
            self.add_error(
                "no_scan_reason",
                _("Upload the signed form, or say why there is none yet."),
            )
        return cleaned


def renewal_initial(declaration: ConsentDeclaration, agency: Agency) -> dict[str, Any]:
    """A new consent's form filled in from the one it renews: the same persons, agencies,
    information and purpose, valid from today for as long as the old one was (two years
    when that was open-ended). The family reads and signs it anew; the form is today's."""
    today = timezone.localdate()
    lasted = declaration.valid_until - declaration.valid_from
    valid_until = (
        default_valid_until() if lasted.days <= 0 or lasted.days > 10 * 365 else today + lasted
    )
    return {
        "status": ConsentDeclaration.Status.REQUESTED,
        "given_by": declaration.given_by,
        "guardian_name": declaration.guardian_name,
        "recipient_agencies": [
            pk
            for pk in declaration.recipient_agencies.values_list("pk", flat=True)
            if pk != agency.pk
        ],
        "disclosing_agencies": list(declaration.disclosing_agencies.values_list("pk", flat=True)),
        "categories": list(declaration.categories),
        "includes_entrusted": declaration.includes_entrusted,
        "purpose": declaration.purpose,
        "purpose_text": declaration.purpose_text,
        "valid_from": today,
        "valid_until": valid_until,
        "form_language": declaration.form_language,
        "form_version": FORM_VERSION,
    }


class GiveForm(KernForm):
    """Mark a requested consent given: with the scan now, or the reason why there is none."""

    signed_form = signed_form_field()
    no_scan_reason = no_scan_reason_field()


@dataclass(frozen=True)
class FirewallNote:
    text: str
    citation: str


def chose_foreigners_authority(data: Any) -> bool:
    """Whether the Ausländerbehörde is among the chosen recipients (for the firewall note)."""
    raw = data.getlist("recipient_agencies") if hasattr(data, "getlist") else []
    # Ids a BIGINT can hold (18 digits) or none: a longer number is no agency, not a 500.
    ids = {str(value) for value in raw if str(value).isdigit() and len(str(value)) <= 18}
    return bool(ids) and (
        Agency.objects.filter(pk__in=ids, kind=Agency.Kind.FOREIGNERS_AUTHORITY).exists()
    )


def foreigners_authority_rules() -> list[FirewallNote]:
    """What a consent can and cannot open to the Ausländerbehörde, with the citations."""
    kind = Agency.Kind.FOREIGNERS_AUTHORITY
    notes = [
        FirewallNote(str(rule.description), rule.citation)
        for rule in firewall.RULES
        if kind in rule.recipient_kinds
    ]
    notes.append(FirewallNote(str(firewall.ENTRUSTED_DESCRIPTION), firewall.ENTRUSTED_CITATION))
    return notes


class WithdrawForm(KernForm):
    reason = forms.CharField(
        label=_("Reason for the withdrawal"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: the family asked for it by phone on 3 March."),
        error_messages={"required": _("Give the reason for the withdrawal.")},
    )


class ConsentFilterForm(KernForm):
    person = forms.CharField(
        label=_("Lotse ID of the person"),
        required=False,
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "P-7K3M-9QX2"}),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("all")),
            *ConsentDeclaration.Status.choices,
            # selectors.EXPIRING: given, ending within 30 days — renew them with the family
            ("expiring", _("given, ending within 30 days")),
        ],
    )
    agency = SafeModelChoiceField(
        label=_("Agency"),
        required=False,
        queryset=Agency.objects.none(),
        empty_label=_("all"),
        help_text=_("Recorded by, passing on or receiving."),
    )
    since = PlausibleDateField(label=_("Valid on or after"), required=False, widget=date_input())
    until = PlausibleDateField(label=_("Valid on or before"), required=False, widget=date_input())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency = self.fields["agency"]
        assert isinstance(agency, forms.ModelChoiceField)  # noqa: S101
        agency.queryset = Agency.objects.order_by("name")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", _("The end lies before the start."))
        return cleaned


# --- legal bases ---------------------------------------------------------------------------------


class LegalBasisForm(KernForm):
    from_kind = forms.ChoiceField(label=_("From agency kind"), choices=Agency.Kind.choices)
    to_kind = forms.ChoiceField(label=_("To agency kind"), choices=Agency.Kind.choices)
    categories = forms.MultipleChoiceField(
        label=_("Categories"), choices=DataCategory.choices, widget=forms.CheckboxSelectMultiple
    )
    citation = forms.CharField(
        label=_("Citation"),
        max_length=200,
        help_text=_("The statute that allows the flow, e.g. § 50 SGB II."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)


# --- emergency access ----------------------------------------------------------------------------


class BreakGlassForm(KernForm):
    reason = forms.CharField(
        label=_("Why is this an emergency?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "At least 20 characters. The data-protection officer reads and reviews this reason."
        ),
        error_messages={"required": _("Explain the emergency.")},
    )


class BreakGlassStartForm(KernForm):
    """The Lotse ID of the person an emergency access is for: typed, since the person need
    not be visible (nor found by the search) before the access is open."""

    public_id = forms.CharField(
        label=_("Lotse ID of the person"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text=_("As on the family's papers or the case file, for example P-7K3M-9QX2."),
        error_messages={"required": _("Enter the person's Lotse ID.")},
    )

    def clean_public_id(self) -> str:
        # "p-7k3m-9qx2 " is fine: the ID in capitals, without spaces.
        value = str(self.cleaned_data["public_id"]).strip().upper()
        if not PERSON_ID.fullmatch(value):
            raise forms.ValidationError(_("A Lotse ID reads like P-7K3M-9QX2."))
        return value


class BreakGlassReviewForm(KernForm):
    """One per reviewed access, prefixed ``review-<id>``; the id itself travels as ``glass``."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (BreakGlass.Review.JUSTIFIED, _("Justified")),
            (BreakGlass.Review.UNJUSTIFIED, _("Not justified (ends the access now)")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
