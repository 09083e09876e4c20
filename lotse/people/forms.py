"""Input schemas of the people pages: parse and name fields; the rules live in services.

Forms turn what a caseworker typed into the services' dataclasses (``PersonData``,
``HouseholdData``, ``ResidenceData``). Plausibility (birth date in the future, unknown codes,
a status that ends before it starts) is the services' job, so the pages and the API refuse the
same input with the same message; ``core.forms.apply_service_errors`` puts those messages back
on the field they name, :func:`apply_household_errors` on the member row they name.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.formsets import BaseFormSet, formset_factory
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lotse.core.forms import (
    KernForm,
    PlausibleDateField,
    RowTexts,
    date_input,
    error_field,
    row_deleted,
)

from .choices import (
    BirthDatePrecision,
    District,
    HouseholdRole,
    OtherHouseholds,
    ResidenceKind,
    Sex,
    WorkPermission,
)
from .duplicates import ProspectivePerson
from .models import Household, Person
from .pickers import countries_text, languages_text, level_options, parse_countries, parse_languages
from .services import (
    HouseholdData,
    LanguageData,
    PersonData,
    ResidenceData,
)

MAX_MEMBERS = 20
_SPLIT_LINES = re.compile(r"[\r\n;]+")
_PREFIX = re.compile(r"^members-(\d{1,2})$")

# Fields whose change re-runs the duplicate check while typing.
DUPLICATE_TRIGGERS = ("given_names", "family_name", "aliases", "native_name", "birth_date")


class TextListField(forms.Field):
    """A list typed as text, one entry per line (other spellings)."""

    widget = forms.Textarea(attrs={"rows": 2})

    def to_python(self, value: Any) -> list[str]:
        if isinstance(value, list):
            return [str(v) for v in value]
        items = [part.strip() for part in _SPLIT_LINES.split(str(value or ""))]
        return list(dict.fromkeys(item for item in items if item))

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return "\n".join(str(v) for v in value)
        return value

    def has_changed(self, initial: Any, data: Any) -> bool:
        return self.to_python(initial) != self.to_python(data)


# The pickers' lists (people/_picker_lists.html) and the script that makes them type-ahead
# lists (static/people/picker.js); without the script the browser's own suggestions remain.
COUNTRY_LIST = "picker-countries"
LANGUAGE_LIST = "picker-languages"


def picker_input(list_id: str, **attrs: str) -> forms.TextInput:
    return forms.TextInput(
        attrs={"list": list_id, "data-picker": "multi", "autocomplete": "off", **attrs}
    )


class CountriesField(forms.Field):
    """'Syrien, Türkei' → ['SY', 'TR']: country names as caseworkers write them (or codes)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", picker_input(COUNTRY_LIST))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> list[str]:
        if isinstance(value, list | tuple):
            return [str(v) for v in value]
        return parse_countries(str(value or ""))

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return countries_text(value)
        return value

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            return self.to_python(initial) != self.to_python(data)
        except ValidationError:
            return True


class LanguagesField(forms.Field):
    """'Arabisch: Erstsprache, Deutsch: A2' → [ar native, de a2] (codes like 'de:A2' too).

    A language without a level counts as a first language; the service checks the list as a
    whole (a language twice).
    """

    def __init__(self, **kwargs: Any) -> None:
        levels = "|".join(label for _code, label in level_options())
        kwargs.setdefault("widget", picker_input(LANGUAGE_LIST, **{"data-picker-levels": levels}))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> list[LanguageData]:
        if isinstance(value, list):
            return value
        return [
            LanguageData(language=entry.language, level=entry.level)
            for entry in parse_languages(str(value or ""))
        ]

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return languages_text(
                (item.language, item.level) if isinstance(item, LanguageData) else item
                for item in value
            )
        return value

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            return self.to_python(initial or []) != self.to_python(data)
        except ValidationError:
            return True


class PersonFieldsForm(KernForm):
    """The identity fields shared by registration rows and the edit page."""

    given_names = forms.CharField(
        label=_("Given names"),
        max_length=200,
        error_messages={"required": _("Enter the given names.")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    family_name = forms.CharField(
        label=_("Family name"),
        max_length=200,
        error_messages={"required": _("Enter the family name.")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    aliases = TextListField(
        label=_("Other spellings"),
        required=False,
        help_text=_("One per line, e.g. as written in the passport or residence permit."),
    )
    native_name = forms.CharField(
        label=_("Name in original script"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"dir": "auto", "autocomplete": "off"}),
    )
    birth_date = PlausibleDateField(
        label=_("Date of birth"),
        required=False,
        widget=date_input(),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
    )
    birth_date_precision = forms.ChoiceField(
        label=_("How certain is the date of birth?"),
        choices=BirthDatePrecision.choices,
        initial=BirthDatePrecision.EXACT,
        help_text=_("Many documents carry 1 January when only the year is known."),
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNSPECIFIED)
    nationalities = CountriesField(
        label=_("Nationalities"),
        required=False,
        help_text=_("Type a few letters and choose; several with commas."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("given_names", "family_name"):
            # The label says "optional" exactly when the form will not ask for them; screen
            # readers hear it too (formset rows get no HTML "required" from Django).
            field = self.fields[name]
            field.required = self.needs_names()
            if field.required:
                field.widget.attrs["aria-required"] = "true"

    def needs_names(self) -> bool:
        return True

    def person_values(self) -> dict[str, Any]:
        # .get: the duplicate probe reads half-typed rows whose invalid fields are missing.
        data = self.cleaned_data
        return {
            "given_names": str(data.get("given_names") or "").strip(),
            "family_name": str(data.get("family_name") or "").strip(),
            "aliases": data.get("aliases") or [],
            "native_name": str(data.get("native_name") or "").strip(),
            "birth_date": data.get("birth_date"),
            "birth_date_precision": data.get("birth_date_precision") or BirthDatePrecision.EXACT,
            "sex": data.get("sex") or Sex.UNSPECIFIED,
            "nationalities": data.get("nationalities") or [],
        }

    def prospective(self, *, household_names: tuple[str, ...] = ()) -> ProspectivePerson:
        values = self.person_values()
        return ProspectivePerson(
            given_names=values["given_names"],
            family_name=values["family_name"],
            aliases=tuple(values["aliases"]),
            native_name=values["native_name"],
            birth_date=values["birth_date"],
            birth_date_precision=values["birth_date_precision"],
            sex=values["sex"],
            nationalities=tuple(values["nationalities"]),
            household_names=household_names,
        )


class HouseholdForm(KernForm):
    street = forms.CharField(
        label=_("Street and number"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    postcode = forms.CharField(
        label=_("Postcode"),
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
    )
    city = forms.CharField(label=_("City"), max_length=100, required=False, initial="Wuppertal")
    district = forms.ChoiceField(
        label=_("District"),
        choices=[("", _("— not known —")), *District.choices],
        required=False,
    )

    def data_for_service(self) -> HouseholdData:
        data = self.cleaned_data
        return HouseholdData(
            street=data["street"].strip(),
            postcode=data["postcode"].strip(),
            city=data["city"].strip() or "Wuppertal",
            district=data["district"],
        )

    @property
    def has_address(self) -> bool:
        return bool(self.cleaned_data.get("street") or self.cleaned_data.get("postcode"))


#: The answer "a different person" to the duplicate question (beside the candidates' IDs).
NEW_PERSON = "new"
#: The answer "leave this person out" to the question about her other household.
LEAVE_OUT = "leave"


class MemberForm(PersonFieldsForm):
    """One row of the registration form: a new person, or an existing one chosen instead.

    The duplicate panel beneath the row asks one question when persons like this are known:
    which of them it is, or a different person (``<prefix>-existing``: an ID or ``new``),
    with nothing chosen beforehand. For a chosen person who lives in another household it
    asks what becomes of that (``<prefix>-elsewhere-<ID>``: move, link or leave out).
    """

    role = forms.ChoiceField(label=_("Role in the household"), choices=HouseholdRole.choices)
    languages = LanguagesField(
        label=_("Languages"),
        required=False,
        help_text=_(
            "First language first, each with its level, e.g. “Arabisch: Erstsprache, Deutsch: A2”."
        ),
    )
    interpreter_needed = forms.BooleanField(
        label=_("Needs an interpreter"),
        required=False,
        help_text=_("For the first language."),
    )

    # Filled by the view: the duplicate panel of this row (display.DuplicatePanel).
    duplicate_panel: Any = None

    def __init__(self, *args: Any, choose_role: bool | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.row_index if choose_role is None else choose_role:
            # The first row is the head by default; later rows must say who they are.
            role = self.fields["role"]
            assert isinstance(role, forms.ChoiceField)  # noqa: S101 - declared above
            role.choices = [("", _("— choose —")), *HouseholdRole.choices]
            role.initial = ""
        else:
            self.fields["role"].initial = HouseholdRole.HEAD
        check_url = reverse("people:duplicate_check")
        for name in DUPLICATE_TRIGGERS:
            self.fields[name].widget.attrs.update(
                {
                    "hx-post": check_url,
                    # A date picked with the mouse sends no keyup.
                    "hx-trigger": "keyup changed delay:400ms"
                    + (", change" if name == "birth_date" else ""),
                    "hx-target": f"#{self.prefix}-duplicates",
                    "hx-include": "closest fieldset",
                    "hx-vals": f'{{"prefix": "{self.prefix}"}}',
                    "hx-sync": "closest fieldset:replace",
                }
            )

    @property
    def row_index(self) -> int:
        found = _PREFIX.match(self.prefix or "")
        return int(found.group(1)) if found else 0

    @property
    def row_number(self) -> int:
        return self.row_index + 1

    def answer(self) -> str:
        """The answer to the duplicate question: a public ID, ``new``, or '' (none yet)."""
        if not self.is_bound:
            return ""
        value = str(self.data.get(self.add_prefix("existing"), "")).strip()
        return NEW_PERSON if value.lower() == NEW_PERSON else value.upper()

    def existing_choice(self) -> str:
        """The public ID of the existing person chosen instead of a new one, or ''."""
        answer = self.answer()
        return "" if answer == NEW_PERSON else answer

    def elsewhere_choice(self) -> str:
        """For the chosen person: move, link, leave (out) or '' (not answered)."""
        chosen = self.existing_choice()
        if not chosen:
            return ""
        value = str(self.data.get(self.add_prefix(f"elsewhere-{chosen}"), "")).strip()
        return value if value in {*OtherHouseholds.values, LEAVE_OUT} else ""

    def needs_names(self) -> bool:
        return not self.existing_choice()

    def has_changed(self) -> bool:
        # An empty added row is left out; a choice of an existing person counts as content.
        return bool(self.existing_choice()) or super().has_changed()

    def person_data(self) -> PersonData:
        languages: list[LanguageData] = self.cleaned_data["languages"]
        if self.cleaned_data["interpreter_needed"] and languages:
            languages[0].interpreter_needed = True
        return PersonData(**self.person_values(), languages=languages)


class BaseMemberFormSet(BaseFormSet[MemberForm]):
    def add_fields(self, form: MemberForm, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Leave this member out")
            form.fields["DELETE"].widget.attrs["class"] = "kern-form-check__checkbox"

    def clean(self) -> None:
        if any(self.errors):
            return
        heads = [
            form
            for form in self.forms
            if form.has_changed()
            and not row_deleted(form)
            and form.cleaned_data.get("role") == HouseholdRole.HEAD
        ]
        if len(heads) > 1:
            for form in heads[1:]:
                form.add_error("role", _("A household has at most one head."))
        chosen = [f.existing_choice() for f in self.forms if f.existing_choice()]
        if len(chosen) != len(set(chosen)):
            raise ValidationError(_("The same existing person was chosen for two rows."))

    def members(self) -> list[MemberForm]:
        """The rows that hold a person, in order."""
        return [form for form in self.forms if form.has_changed() and not row_deleted(form)]


MemberFormSet = formset_factory(
    MemberForm,
    formset=BaseMemberFormSet,
    extra=0,
    min_num=1,
    validate_min=True,
    max_num=MAX_MEMBERS,
    validate_max=True,
    # Never build more rows than the form offers, whatever TOTAL_FORMS says: a request that
    # claims 1,001 rows is refused with a message, not rendered for 15 seconds.
    absolute_max=MAX_MEMBERS,
    can_delete=True,
)


class HouseholdVersionForm(forms.Form):
    """The version of the household a form was opened on (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class HouseholdAddressForm(HouseholdForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    @classmethod
    def initial_for(cls, household: Household) -> dict[str, Any]:
        return {
            "street": household.street,
            "postcode": household.postcode,
            "city": household.city,
            "district": household.district,
            "version": household.version,
        }


class MoveOutForm(KernForm):
    moved_out_on = PlausibleDateField(
        label=_("Moved out on"),
        widget=date_input(),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        error_messages={"required": _("Give the date of the move.")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


def household_member_form(data: Any = None) -> MemberForm:
    """The one row of "add a member": the same row as in the registration, role to choose."""
    return MemberForm(data=data, prefix="members-0", choose_role=True)


def member_formset(data: Any = None) -> BaseMemberFormSet:
    formset = MemberFormSet(data=data, prefix="members")
    assert isinstance(formset, BaseMemberFormSet)  # noqa: S101 - built from it
    return formset


def with_added_row(data: Any) -> Any:
    """The posted data with one more (empty) member row."""
    copy = data.copy()
    try:
        total = int(copy.get("members-TOTAL_FORMS") or 1)
    except ValueError:
        total = 1  # tampered with; the formset reports its management form as broken
    rows = max(1, min(total + 1, MAX_MEMBERS))
    copy["members-TOTAL_FORMS"] = str(rows)
    # The new row starts as a new form would, not with what the browser shows for a select
    # it never had a value for (its first option: "female", "exact").
    new_row = f"members-{rows - 1}-"
    for name, value in NEW_ROW.items():
        copy.setdefault(new_row + name, value)
    return copy


NEW_ROW = {"role": "", "birth_date_precision": BirthDatePrecision.EXACT, "sex": Sex.UNSPECIFIED}


class DuplicateProbeForm(PersonFieldsForm):
    """What the duplicate check reads while the names are still being typed."""

    def needs_names(self) -> bool:
        return False

    @classmethod
    def for_prefix(cls, data: Any) -> DuplicateProbeForm | None:
        prefix = str(data.get("prefix", ""))
        if not _PREFIX.match(prefix):
            return None
        return cls(data=data, prefix=prefix)


class PersonEditForm(PersonFieldsForm):
    arrival_in_germany = PlausibleDateField(
        label=_("Arrival in Germany"), required=False, widget=date_input()
    )
    arrival_in_city = PlausibleDateField(
        label=_("Arrival in the city"), required=False, widget=date_input()
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    email = forms.EmailField(label=_("E-mail"), required=False)
    district = forms.ChoiceField(
        label=_("District"),
        choices=[("", _("— not known —")), *District.choices],
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    EDITABLE = (
        "given_names",
        "family_name",
        "aliases",
        "native_name",
        "birth_date",
        "birth_date_precision",
        "sex",
        "nationalities",
        "arrival_in_germany",
        "arrival_in_city",
        "phone",
        "email",
        "district",
    )

    @classmethod
    def initial_for(cls, person: Person) -> dict[str, Any]:
        initial = {name: getattr(person, name) for name in cls.EDITABLE}
        initial["aliases"] = [str(a) for a in person.aliases]
        initial["nationalities"] = [str(c) for c in person.nationalities]
        initial["version"] = person.version
        return initial

    def changes(self) -> dict[str, Any]:
        """Only what differs from the record as it is now."""
        values = {**self.person_values()}
        for name in ("arrival_in_germany", "arrival_in_city", "district"):
            values[name] = self.cleaned_data[name]
        values["phone"] = self.cleaned_data["phone"].strip()
        values["email"] = self.cleaned_data["email"].strip()
        return {name: values[name] for name in self.EDITABLE if name in self.changed_data}


class ResidenceForm(KernForm):
    kind = forms.ChoiceField(
        label=_("Residence status"), choices=[("", _("— choose —")), *ResidenceKind.choices]
    )
    paragraph = forms.CharField(
        label=_("Legal paragraph"),
        max_length=40,
        required=False,
        help_text=_("For residence permits, e.g. § 25 Abs. 2 AufenthG."),
    )
    valid_from = PlausibleDateField(
        label=_("Valid from"), widget=date_input(), input_formats=["%Y-%m-%d", "%d.%m.%Y"]
    )
    valid_until = PlausibleDateField(
        label=_("Valid until"),
        required=False,
        widget=date_input(),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        help_text=_("Leave empty if the status has no end date."),
    )
    residence_obligation = forms.CharField(
        label=_("Residence obligation (Wohnsitzauflage)"),
        max_length=200,
        required=False,
        help_text=_("The place the person must live in; empty if there is none."),
    )
    work_permission = forms.ChoiceField(
        label=_("Work permission"), choices=WorkPermission.choices, initial=WorkPermission.UNKNOWN
    )

    def data_for_service(self) -> ResidenceData:
        data = self.cleaned_data
        return ResidenceData(
            kind=data["kind"],
            valid_from=data["valid_from"],
            paragraph=data["paragraph"].strip(),
            valid_until=data["valid_until"],
            residence_obligation=data["residence_obligation"].strip(),
            work_permission=data["work_permission"],
        )


class MergeForm(KernForm):
    merged = forms.CharField(label=_("Record to merge into this person"))
    reason = forms.CharField(
        label=_("Why are these the same person?"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("E.g. “same passport number”. Do not enter health or other sensitive data."),
    )

    def __init__(self, *args: Any, candidates: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["merged"] = forms.ChoiceField(
            label=self.fields["merged"].label,
            choices=candidates,
            widget=forms.RadioSelect(attrs={"class": "kern-form-check__radio"}),
            error_messages={"required": _("Choose the record to merge.")},
        )


class MergeDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("confirm", _("Confirm")), ("revert", _("Revert"))],
    )


# --- errors: service messages back on the member rows, and their names in the summary --------

_MEMBER_KEY = re.compile(r"^members\[(\d+)\]\.?([a-z_]*)")

# How the error summary names a row of the registration form (``core.forms.error_summary``).
MEMBER_ROWS = RowTexts(
    field=_("Member %(row)s – %(field)s: %(message)s"),
    plain=_("Member %(row)s: %(message)s"),
)


def apply_household_errors(
    household_form: HouseholdForm,
    formset: BaseMemberFormSet,
    rows: list[MemberForm],
    error: ValidationError,
) -> None:
    """``household_register`` names member fields as 'members[<index>].<field>'."""
    by_field = error.error_dict if hasattr(error, "error_dict") else {"__all__": error.error_list}
    for key, items in by_field.items():
        found = _MEMBER_KEY.match(key)
        if found and int(found.group(1)) < len(rows):
            row = rows[int(found.group(1))]
            name = error_field(found.group(2) or None)
            for item in items:
                row.add_error(name if name in row.fields else None, item)
        elif key in household_form.fields:
            for item in items:
                household_form.add_error(key, item)
        else:
            errors = formset.non_form_errors()
            for item in items:
                errors.extend(ValidationError(item).messages)
