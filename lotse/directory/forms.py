"""Input schemas of the directory's pages: the search (public and internal) and the staff forms.

They parse and name fields; the rules (what an offer must have, who may write) live in
``services``. Choices are shown in words: life domains, languages by name, districts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.formsets import BaseFormSet, formset_factory
from django.forms.utils import flatatt
from django.utils.dates import WEEKDAYS
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from lotse.core.forms import KernForm, PlausibleDateField, date_input, row_deleted
from lotse.people.choices import District, ResidenceKind, Sex
from lotse.people.validation import language_name

from .domains import LifeDomain
from .models import FamilySituation, Location, Offer, Provider, Schedule
from .services import OfferData, ProviderData, ScheduleData

#: Highest age a visitor can search for (as the services accept on offers).
MAX_AGE = 120

# --- search -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchFilters:
    """What a search asks for; empty values filter nothing."""

    q: str = ""
    domain: str = ""
    language: str = ""
    district: str = ""
    situation: str = ""
    age: int | None = None
    free_places: bool = False

    @property
    def any(self) -> bool:
        return bool(
            self.q
            or self.domain
            or self.language
            or self.district
            or self.situation
            or self.age is not None
            or self.free_places
        )


class Select(forms.Select):
    """A select rendered in Python: Django renders each option through a template, which on
    a page that must answer within tens of milliseconds costs more than the database. Named
    ``Select`` so that KERN classes and ``forms/_field.html`` treat it as the select it is."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        chosen = "" if value is None else str(value[0] if isinstance(value, list) else value)
        final = self.build_attrs(self.attrs, attrs)
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (code, mark_safe(" selected") if str(code) == chosen else "", label)
                for code, label in self.choices
            ),
        )
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(final), options)


class OfferSearchForm(KernForm):
    """The search over current offers, for the public directory and the internal list.

    A wrong value of one filter (an unknown code typed into the URL) is shown on its field
    and that filter is left out; the others still apply.
    """

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        help_text=_("A word from the name or the description, or the provider's name."),
    )
    domain = forms.ChoiceField(label=_("Topic"), required=False, widget=Select)
    language = forms.ChoiceField(label=_("Language"), required=False, widget=Select)
    district = forms.ChoiceField(
        label=_("District"),
        required=False,
        help_text=_("Offers for the whole city are always included."),
        widget=Select,
    )
    situation = forms.ChoiceField(label=_("Especially for"), required=False, widget=Select)
    age = forms.IntegerField(
        label=_("Age in years"),
        required=False,
        min_value=0,
        max_value=MAX_AGE,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    free_places = forms.BooleanField(
        label=_("Only offers with free places"),
        required=False,
        help_text=_("Leaves out offers that are full or have a waiting list."),
    )

    def __init__(self, *args: Any, languages: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        everything = ("", _("all"))
        self._choices("domain", [everything, *LifeDomain.choices])
        named = sorted(((code, language_name(code)) for code in languages), key=lambda c: c[1])
        self._choices("language", [everything, *named])
        self._choices("district", [everything, *District.choices])
        self._choices("situation", [("", _("everyone")), *FamilySituation.choices])
        self.fields["q"].widget.input_type = "search"

    def _choices(self, name: str, choices: list[Any]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared as one
        field.choices = choices

    def filters(self) -> SearchFilters:
        if not self.is_bound:
            return SearchFilters()
        self.is_valid()
        data = self.cleaned_data
        return SearchFilters(
            q=(data.get("q") or "").strip(),
            domain=data.get("domain") or "",
            language=data.get("language") or "",
            district=data.get("district") or "",
            situation=data.get("situation") or "",
            age=data.get("age"),
            free_places=bool(data.get("free_places")),
        )


# --- offers -------------------------------------------------------------------------------------

#: Languages offered as check boxes (the families' most frequent ones); others are chosen from
#: the list of all ISO 639-1 languages or typed as an ISO 639-3 code.
COMMON_LANGUAGES = (
    "de",
    "en",
    "ar",
    "fa",
    "prs",
    "ps",
    "tr",
    "kmr",
    "ckb",
    "ru",
    "uk",
    "pl",
    "ro",
    "bg",
    "sq",
    "sr",
    "hr",
    "bs",
    "ti",
    "so",
    "am",
    "fr",
    "es",
    "it",
    "el",
    "ur",
    "gsg",
)

WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_BYDAY = re.compile(r"^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$")


def _named_languages(codes: list[str] | tuple[str, ...]) -> list[tuple[str, str]]:
    return [(code, language_name(code)) for code in codes]


def _iso_639_1() -> list[tuple[str, str]]:
    import pycountry

    codes = [lang.alpha_2 for lang in pycountry.languages if getattr(lang, "alpha_2", None)]
    return sorted(_named_languages(codes), key=lambda c: c[1])


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.replace("\r", "").split("\n") if line.strip()]


class VersionForm(KernForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


def _multiple(label: Any, choices: Any, help_text: Any = "") -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        choices=choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=help_text,
    )


def _count(label: Any, help_text: Any = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label, required=False, min_value=0, max_value=1_000_000, help_text=help_text
    )


class OfferForm(KernForm):
    """Every field of ``services.OfferData``; ``version`` only when editing."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)
    name = forms.CharField(label=_("Name of the offer"), max_length=200)
    alternate_name = forms.CharField(label=_("Other name"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Description"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the offer does, in plain words. Shown in the public directory."),
    )
    main_domain = forms.ChoiceField(label=_("Main life domain"), choices=LifeDomain.choices)
    domains = _multiple(_("Further life domains"), LifeDomain.choices)
    status = forms.ChoiceField(label=_("Status"), choices=Offer.Status.choices)
    url = forms.URLField(label=_("Web page"), required=False, assume_scheme="https")
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    application_process = forms.CharField(
        label=_("How to apply"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    required_documents = forms.CharField(
        label=_("Documents to bring"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line."),
    )
    languages = _multiple(_("Languages"), [])
    more_languages = forms.MultipleChoiceField(
        label=_("Further languages"),
        required=False,
        help_text=_("Hold Ctrl (or Cmd) to choose several."),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    other_language_codes = forms.CharField(
        label=_("Other languages by ISO 639-3 code"),
        required=False,
        max_length=200,
        help_text=_("Only for languages missing above, separated by commas, e.g. aii."),
    )
    interpretation_services = forms.CharField(
        label=_("Interpreting"),
        max_length=300,
        required=False,
        help_text=_("E.g. interpreters can be booked for Dari and Tigrinya."),
    )
    minimum_age = forms.IntegerField(
        label=_("Minimum age"), required=False, min_value=0, max_value=MAX_AGE
    )
    maximum_age = forms.IntegerField(
        label=_("Maximum age"), required=False, min_value=0, max_value=MAX_AGE
    )
    sexes = _multiple(_("For"), Sex.choices, _("None ticked: everyone."))
    family_situations = _multiple(
        _("Especially for"), FamilySituation.choices, _("None ticked: every family situation.")
    )
    residence_kinds = _multiple(
        _("Residence statuses"),
        ResidenceKind.choices,
        _("None ticked: open whatever the residence status."),
    )
    eligibility_description = forms.CharField(
        label=_("Who can take part"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    citywide = forms.BooleanField(
        label=_("For the whole city"),
        required=False,
        help_text=_("Otherwise only for the districts ticked below."),
    )
    districts = _multiple(_("Districts served"), District.choices)
    free_of_charge = forms.BooleanField(label=_("Free of charge"), required=False)
    fees_description = forms.CharField(
        label=_("Costs"),
        max_length=300,
        required=False,
        help_text=_("What it costs, and whether the costs can be covered (e.g. BuT)."),
    )
    capacity = _count(_("Places"))
    free_places = _count(_("Free places"), _("Keep this current: families search for it."))
    waiting_list = forms.BooleanField(label=_("Waiting list"), required=False)
    wait_time = forms.CharField(label=_("Waiting time"), max_length=200, required=False)
    valid_from = PlausibleDateField(label=_("Valid from"), required=False, widget=date_input())
    valid_until = PlausibleDateField(label=_("Valid until"), required=False, widget=date_input())
    is_public = forms.BooleanField(
        label=_("Show in the public directory"),
        required=False,
        help_text=_("Shown at /angebote/ once the provider is approved."),
    )
    accepts_referrals = forms.BooleanField(
        label=_("Accepts referrals"),
        required=False,
        help_text=_("Untick while the offer is full: no new referrals reach the inbox."),
    )
    location_ids = forms.MultipleChoiceField(
        label=_("Locations"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Where the offer takes place. Add locations on the provider's page first."),
    )

    def __init__(
        self, *args: Any, locations: list[Location], known_languages: list[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        common = list(COMMON_LANGUAGES)
        extra = [code for code in known_languages if code not in common]
        self._choices("languages", _named_languages(common + extra))
        self._choices("more_languages", [c for c in _iso_639_1() if c[0] not in common])
        self._choices("location_ids", [(str(loc.pk), _location_label(loc)) for loc in locations])

    def _choices(self, name: str, choices: list[Any]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared as one
        field.choices = choices

    @staticmethod
    def initial_for(offer: Offer | None) -> dict[str, Any]:
        if offer is None:
            defaults = OfferData(name="", description="", domains=[])
            return {
                name: getattr(defaults, name)
                for name in OfferData.SCALARS
                if name not in ("name", "description")
            } | {"required_documents": ""}
        values: dict[str, Any] = {name: getattr(offer, name) for name in OfferData.SCALARS}
        domains = offer.domain_codes
        values |= {
            "version": offer.version,
            "main_domain": domains[0] if domains else "",
            "domains": domains[1:],
            "required_documents": "\n".join(offer.required_documents),
            "languages": [row.code for row in offer.languages.all()],
            "districts": [row.district for row in offer.districts.all()],
            "location_ids": [str(row.location_id) for row in offer.at_locations.all()],
        }
        return values

    def clean_other_language_codes(self) -> list[str]:
        raw: str = self.cleaned_data.get("other_language_codes") or ""
        return [code.strip().lower() for code in raw.split(",") if code.strip()]

    def data_for_service(self, schedules: list[ScheduleData]) -> OfferData:
        data = self.cleaned_data
        main = data["main_domain"]
        languages = [*data["languages"], *data["more_languages"], *data["other_language_codes"]]
        return OfferData(
            name=data["name"],
            alternate_name=data["alternate_name"],
            description=data["description"],
            domains=[main, *(d for d in data["domains"] if d != main)],
            url=data["url"],
            email=data["email"],
            phone=data["phone"],
            status=data["status"],
            application_process=data["application_process"],
            interpretation_services=data["interpretation_services"],
            minimum_age=data["minimum_age"],
            maximum_age=data["maximum_age"],
            sexes=list(data["sexes"]),
            family_situations=list(data["family_situations"]),
            residence_kinds=list(data["residence_kinds"]),
            eligibility_description=data["eligibility_description"],
            citywide=data["citywide"],
            districts=list(data["districts"]),
            free_of_charge=data["free_of_charge"],
            fees_description=data["fees_description"],
            capacity=data["capacity"],
            free_places=data["free_places"],
            waiting_list=data["waiting_list"],
            wait_time=data["wait_time"],
            required_documents=_lines(data["required_documents"]),
            valid_from=data["valid_from"],
            valid_until=data["valid_until"],
            is_public=data["is_public"],
            accepts_referrals=data["accepts_referrals"],
            languages=languages,
            location_ids=[int(pk) for pk in data["location_ids"]],
            schedules=schedules,
        )


def _location_label(location: Location) -> str:
    parts = [location.name, location.address_line, location.get_district_display()]
    return " – ".join(part for part in parts if part)


# --- schedules ------------------------------------------------------------------------------


def parse_byday(byday: str) -> tuple[list[str], list[str]]:
    """``"1TU,3TU"`` → (days ["TU"], weeks ["1", "3"]); unknown tokens are dropped."""
    days: list[str] = []
    weeks: list[str] = []
    for token in (t.strip().upper() for t in byday.split(",") if t.strip()):
        match = _BYDAY.match(token)
        if match is None:
            continue
        week, day = match.groups()
        if day not in days:
            days.append(day)
        if week and str(int(week)) not in weeks:
            weeks.append(str(int(week)))
    return days, weeks


def build_byday(days: list[str], weeks: list[str], freq: str) -> str:
    ordered = [d for d in WEEKDAY_CODES if d in days]
    if freq == Schedule.Frequency.MONTHLY and weeks:
        return ",".join(f"{week}{day}" for week in weeks for day in ordered)
    return ",".join(ordered)


WEEK_CHOICES = [
    ("1", _("first")),
    ("2", _("second")),
    ("3", _("third")),
    ("4", _("fourth")),
    ("-1", _("last")),
]


class ScheduleForm(KernForm):
    freq = forms.ChoiceField(
        label=_("How often"),
        choices=Schedule.Frequency.choices,
        initial=Schedule.Frequency.WEEKLY,
    )
    interval = forms.IntegerField(
        label=_("Every … (weeks, days or months)"),
        min_value=1,
        max_value=52,
        initial=1,
        required=False,
        help_text=_("1: every week; 2: every other week."),
    )
    days = _multiple(_("On"), [(code, WEEKDAYS[i]) for i, code in enumerate(WEEKDAY_CODES)])
    weeks = _multiple(
        _("In which week of the month"), WEEK_CHOICES, _("Only for monthly times; none: every.")
    )
    opens_at = forms.TimeField(
        label=_("From"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    closes_at = forms.TimeField(
        label=_("Until"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    dtstart = PlausibleDateField(label=_("First date"), required=False, widget=date_input())
    until = PlausibleDateField(label=_("Last date"), required=False, widget=date_input())
    description = forms.CharField(
        label=_("Note"),
        max_length=300,
        required=False,
        help_text=_("E.g. not in the school holidays."),
    )
    location = forms.ChoiceField(label=_("Where"), required=False)

    def __init__(self, *args: Any, locations: list[Location] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["location"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared as one
        field.choices = [("", _("at every location of the offer"))] + [
            (str(loc.pk), loc.name) for loc in locations or []
        ]

    @staticmethod
    def initial_for(schedule: Schedule) -> dict[str, Any]:
        days, weeks = parse_byday(schedule.byday)
        return {
            "freq": schedule.freq,
            "interval": schedule.interval,
            "days": days,
            "weeks": weeks,
            "opens_at": schedule.opens_at,
            "closes_at": schedule.closes_at,
            "dtstart": schedule.dtstart,
            "until": schedule.until,
            "description": schedule.description,
            "location": str(schedule.location_id) if schedule.location_id else "",
        }

    def schedule_data(self) -> ScheduleData:
        data = self.cleaned_data
        opens: time | None = data.get("opens_at")
        closes: time | None = data.get("closes_at")
        location = data.get("location")
        return ScheduleData(
            freq=data["freq"],
            interval=data.get("interval") or 1,
            byday=build_byday(list(data["days"]), list(data["weeks"]), data["freq"]),
            opens_at=opens,
            closes_at=closes,
            dtstart=data.get("dtstart"),
            until=data.get("until"),
            description=data.get("description") or "",
            location_id=int(location) if location else None,
        )


#: At most this many times per offer (the form never builds more rows, whatever is posted).
MAX_SCHEDULES = 20


class BaseScheduleFormSet(BaseFormSet[ScheduleForm]):
    def add_fields(self, form: ScheduleForm, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this time")
            form.fields["DELETE"].widget.attrs["class"] = "kern-form-check__checkbox"

    def schedules(self) -> list[ScheduleData]:
        """The times to save: every existing row not ticked to be removed (changed or not),
        and the new rows that were filled in."""
        initial = set(map(id, self.initial_forms))
        return [
            form.schedule_data()
            for form in self.forms
            if (id(form) in initial or form.has_changed()) and not row_deleted(form)
        ]


ScheduleFormSet = formset_factory(
    ScheduleForm,
    formset=BaseScheduleFormSet,
    extra=1,
    max_num=MAX_SCHEDULES,
    validate_max=True,
    absolute_max=MAX_SCHEDULES,
    can_delete=True,
)


def schedule_formset(
    data: Any = None, *, locations: list[Location], initial: list[dict[str, Any]] | None = None
) -> BaseScheduleFormSet:
    formset = ScheduleFormSet(
        data=data, prefix="times", initial=initial, form_kwargs={"locations": locations}
    )
    assert isinstance(formset, BaseScheduleFormSet)  # noqa: S101 - built from it
    return formset


def with_added_schedule(data: Any) -> Any:
    """The posted data with one more (empty) time row."""
    copy = data.copy()
    try:
        total = int(copy.get("times-TOTAL_FORMS") or 1)
    except ValueError:
        total = 1
    copy["times-TOTAL_FORMS"] = str(max(1, min(total + 1, MAX_SCHEDULES)))
    return copy


# --- locations and providers -----------------------------------------------------------------


class LocationForm(KernForm):
    name = forms.CharField(label=_("Name of the location"), max_length=200)
    street = forms.CharField(label=_("Street and number"), max_length=200, required=False)
    postal_code = forms.CharField(label=_("Postcode"), max_length=10, required=False)
    city = forms.CharField(label=_("City"), max_length=100, required=False, initial="Wuppertal")
    district = forms.ChoiceField(
        label=_("District"), required=False, choices=[("", "—"), *District.choices]
    )
    latitude = forms.DecimalField(
        label=_("Latitude"),
        required=False,
        max_digits=9,
        decimal_places=6,
        help_text=_("For the map, e.g. 51.256213."),
    )
    longitude = forms.DecimalField(
        label=_("Longitude"),
        required=False,
        max_digits=9,
        decimal_places=6,
        help_text=_("For the map, e.g. 7.150764."),
    )
    wheelchair_accessible = forms.ChoiceField(
        label=_("Step-free access"),
        required=False,
        choices=[("", _("not known")), ("yes", _("yes")), ("no", _("no"))],
    )
    accessibility = forms.CharField(
        label=_("Accessibility notes"),
        max_length=300,
        required=False,
        help_text=_("E.g. lift at the side entrance, hearing loop in room 2."),
    )
    transportation = forms.CharField(
        label=_("Public transport"),
        max_length=200,
        required=False,
        help_text=_("E.g. Schwebebahn Döppersberg, bus 620 Neumarkt."),
    )

    @staticmethod
    def initial_for(location: Location) -> dict[str, Any]:
        access = location.wheelchair_accessible
        return {
            "name": location.name,
            "street": location.street,
            "postal_code": location.postal_code,
            "city": location.city,
            "district": location.district,
            "latitude": location.latitude,
            "longitude": location.longitude,
            "wheelchair_accessible": "" if access is None else ("yes" if access else "no"),
            "accessibility": location.accessibility,
            "transportation": location.transportation,
        }

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        access = data.get("wheelchair_accessible") or ""
        return {
            "name": data["name"],
            "street": data["street"],
            "postal_code": data["postal_code"],
            "city": data["city"],
            "district": data["district"],
            "latitude": float(data["latitude"]) if data["latitude"] is not None else None,
            "longitude": float(data["longitude"]) if data["longitude"] is not None else None,
            "wheelchair_accessible": None if not access else access == "yes",
            "accessibility": data["accessibility"],
            "transportation": data["transportation"],
        }


class _ProviderFields(KernForm):
    """What proposing and editing a provider share (HSDS organization)."""

    name = forms.CharField(label=_("Name of the provider"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Who they are and what they do, for the system administrators' check."),
    )
    email = forms.EmailField(label=_("E-mail"), required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)


class ProviderForm(_ProviderFields):
    """A provider's public data, edited by those who keep it."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    alternate_name = forms.CharField(
        label=_("Other name"),
        max_length=200,
        required=False,
        help_text=_("E.g. an abbreviation families know it by."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["description"].help_text = _(
            "Who they are and what they do, in plain words. Shown with their offers in the "
            "public directory and in the open-data export."
        )

    @staticmethod
    def initial_for(provider: Provider) -> dict[str, Any]:
        return {name: getattr(provider, name) for name in ProviderData.FIELDS} | {
            "version": provider.version
        }

    def data_for_service(self) -> ProviderData:
        data = self.cleaned_data
        return ProviderData(**{name: data.get(name) or "" for name in ProviderData.FIELDS})


class ProviderProposeForm(_ProviderFields):
    agency = forms.ChoiceField(
        label=_("Agency in Lotse that maintains it"),
        required=False,
        help_text=_("Its agency administrators keep the provider's offers up to date."),
    )

    def __init__(self, *args: Any, agencies: list[tuple[str, str]] | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if agencies is None:
            # Agency admins propose for their own agency only: no choice to offer.
            del self.fields["agency"]
        else:
            field = self.fields["agency"]
            assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared as one
            field.choices = [("", _("my own agency")), *agencies]


class ProviderDecisionForm(VersionForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when rejecting: the proposing agency reads it."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "reject" and not (data.get("note") or "").strip():
            raise ValidationError({"note": _("Say why the provider is rejected.")})
        return data


class PauseForm(VersionForm):
    paused = forms.BooleanField(required=False, widget=forms.HiddenInput)


class OfferEndForm(VersionForm):
    """When an offer ends: now, or after a last day of today or later."""

    NOW = "now"
    LATER = "later"

    when = forms.ChoiceField(
        label=_("When does the offer end?"),
        choices=[
            (NOW, _("Now: from today it is no longer shown and takes no new referrals")),
            (LATER, _("After a last day")),
        ],
        initial=NOW,
        widget=forms.RadioSelect,
    )
    last_day = PlausibleDateField(
        label=_("Last day of the offer"),
        required=False,
        widget=date_input(),
        help_text=_("Today or later. Until then it is shown and takes referrals as before."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("when") == self.LATER
            and not data.get("last_day")
            and not self.has_error("last_day")
        ):
            self.add_error("last_day", _("Give the last day, or end the offer now."))
        return data

    def chosen_last_day(self) -> date | None:
        """The chosen last day; None: now."""
        if self.cleaned_data.get("when") == self.LATER:
            day: date | None = self.cleaned_data.get("last_day")
            return day
        return None
