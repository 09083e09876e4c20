"""The printable consent form: exactly what a declaration opens, in German and another language.

Rendered from ``consent/form_pdf.html`` by ``core.pdf`` (WeasyPrint). Nothing is fetched: the
template has no links, the base URL is the template folder, and the URL fetcher refuses every
URL. Fonts come from the system (fontconfig): Noto Sans / DejaVu Sans for Latin and Cyrillic,
Noto Naskh Arabic for Arabic and Persian (Debian: fonts-noto-core, fonts-dejavu-core).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from lotse.accounts.models import Agency
from lotse.core.pdf import render_pdf
from lotse.people.models import Person

from .categories import DataCategory
from .dpo import dpo_contact
from .form import FORM_VERSION, GERMAN, FormText, form_text
from .models import ConsentDeclaration

TEMPLATE = "consent/form_pdf.html"
TEMPLATE_DIR = Path(__file__).resolve().parent / "templates" / "consent"


@dataclass(frozen=True)
class AgencyLine:
    name: str
    #: What kind of agency it is, in the column's language; empty when the name says it.
    kind: str


@dataclass(frozen=True)
class Column:
    """Everything one language column of the form shows."""

    t: FormText
    recipients: list[AgencyLine]
    disclosing: list[AgencyLine]
    categories: list[tuple[str, str]]
    purpose: str
    given_by: str
    foreigners_authority: str
    contact: str

    @property
    def lang(self) -> str:
        return self.t.language

    @property
    def dir(self) -> str:
        return self.t.direction


def _date(value: date | None) -> str:
    return f"{value:%d.%m.%Y}" if value else "–"


def _agency_lines(agencies: list[Agency], texts: FormText) -> list[AgencyLine]:
    lines = []
    for agency in agencies:
        kind = texts.agency_kinds.get(agency.kind, "")
        if kind.casefold() in agency.name.casefold():
            kind = ""
        lines.append(AgencyLine(agency.name, kind))
    return lines


def _column(
    texts: FormText,
    declaration: ConsentDeclaration,
    recipients: list[Agency],
    disclosing: list[Agency],
    categories: list[str],
) -> Column:
    authorities = [a.name for a in recipients if a.kind == Agency.Kind.FOREIGNERS_AUTHORITY]
    guardian = declaration.given_by == ConsentDeclaration.GivenBy.GUARDIAN
    return Column(
        t=texts,
        recipients=_agency_lines(recipients, texts),
        disclosing=_agency_lines(disclosing, texts),
        categories=[texts.categories.get(code, (code, "")) for code in categories],
        purpose=texts.purposes.get(declaration.purpose, declaration.purpose),
        given_by=texts.given_by_guardian if guardian else texts.given_by_subject,
        foreigners_authority=(
            texts.foreigners_authority.format(agencies=", ".join(authorities))
            if authorities
            else ""
        ),
        contact=texts.contact.format(agency=declaration.recording_agency.name),
    )


def _birth_date(person: Person, columns: list[Column]) -> str:
    born = person.birth_date
    if born is None:
        return "–"
    if person.birth_date_precision == "year":
        return f"{born:%Y}"
    if person.birth_date_precision == "estimated":
        return f"{_date(born)} ({' / '.join(c.t.estimated for c in columns)})"
    return _date(born)


def consent_form_context(
    declaration: ConsentDeclaration,
    language: str,
    *,
    draft: tuple[list[Agency], list[Agency]] | None = None,
) -> dict[str, Any]:
    """What the template shows: German, and beside it the chosen language (unless German).

    ``draft``: (recipients, disclosing agencies) of a declaration not saved yet, printed so
    that the family can read and sign it before anything is recorded.
    """
    chosen = form_text(language)
    languages = [GERMAN] if chosen is GERMAN else [GERMAN, chosen]
    if draft is not None:
        recipients = sorted(draft[0], key=lambda agency: agency.name)
        disclosing = sorted(draft[1], key=lambda agency: agency.name)
    else:
        recipients = list(declaration.recipient_agencies.order_by("name"))
        disclosing = list(declaration.disclosing_agencies.order_by("name"))
    categories = [code for code in DataCategory.values if code in set(declaration.categories)]
    columns = [
        _column(texts, declaration, recipients, disclosing, categories) for texts in languages
    ]
    person = declaration.subject
    return {
        "columns": columns,
        "bilingual": len(columns) > 1,
        "chosen": chosen,
        "person": person,
        "birth_date": _birth_date(person, columns),
        "declaration": declaration,
        "guardian": declaration.given_by == ConsentDeclaration.GivenBy.GUARDIAN,
        "has_foreigners_authority": bool(columns[0].foreigners_authority),
        "valid_from": _date(declaration.valid_from),
        "valid_until": _date(declaration.valid_until),
        "form_version": FORM_VERSION,
        "language_names": " / ".join(texts.name for texts in languages),
        "dpo": dpo_contact(),
    }


def consent_form_pdf(
    declaration: ConsentDeclaration,
    language: str,
    *,
    draft: tuple[list[Agency], list[Agency]] | None = None,
) -> bytes:
    """The signable A4 form listing exactly what ``declaration`` opens, as PDF bytes.

    ``language`` is one of ``form.LANGUAGES``; German is always printed, the chosen
    language beside it (right to left for Arabic and Persian). ValueError for other languages.
    ``draft`` as for :func:`consent_form_context`.
    """
    context = consent_form_context(declaration, language, draft=draft)
    return render_pdf(TEMPLATE, context, base_url=TEMPLATE_DIR)
