"""Nationality and language pickers: the names caseworkers type, the codes Lotse stores.

A caseworker types "Syrien" or "Kurdisch (Kurmandschi): Erstsprache, Deutsch: A2"; the form
stores ``["SY"]`` and ``[kmr native, de a2]`` as before. The names come from
``people.validation`` (CLDR with the names used in counselling); the pickers offer them in a
``<datalist>`` that ``static/people/picker.js`` turns into a type-ahead list. Without the script
the same text is typed by hand, and codes ("SY", "de:A2") are still understood.

Parsing is forgiving about case, accents and spacing, and strict about meaning: a name that
matches nothing is refused with the entry named and, where one is close, a suggestion.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import override

from .choices import LanguageLevel
from .validation import (
    LANGUAGE_NAMES,
    cldr,
    country_codes,
    country_name,
    language_codes,
    language_name,
    reader_language,
)

_ENTRIES = re.compile(r"[\r\n,;]+")
_SPACES = re.compile(r"\s+")

#: Other words families and colleagues use for a language (German and English), beyond its
#: names in both languages.
LANGUAGE_ALIASES: dict[str, tuple[str, ...]] = {
    "kmr": ("Kurmandschi", "Kurmanci", "Kurmanji", "Nordkurdisch", "Northern Kurdish"),
    "ckb": ("Sorani", "Zentralkurdisch", "Central Kurdish"),
    "fa": ("Farsi", "Persisch", "Persian", "Iranisch"),
    "prs": ("Dari-Persisch", "Afghanisches Persisch"),
    "ps": ("Paschto", "Paschtunisch", "Pashtu", "Pushto"),
    "ti": ("Tigrinja", "Tigrinisch"),
    "so": ("Somalisch",),
    "rom": ("Romani", "Romanes"),
    "ff": ("Ful", "Fula", "Fulani", "Peul"),
    "sw": ("Suaheli", "Kisuaheli"),
    "gsg": ("DGS", "Gebärdensprache"),
    "aii": ("Aramäisch", "Assyrisch", "Suret", "Neuaramäisch"),
    "ar": ("Hocharabisch",),
    "sr": ("Serbokroatisch",),
}

#: Country names people use beside CLDR's: older official forms and short ones.
COUNTRY_ALIASES: dict[str, tuple[str, ...]] = {
    "PS": ("Palästina", "Palestine"),
    "GB": ("Großbritannien", "England", "Great Britain"),
    "US": ("USA", "Vereinigte Staaten von Amerika", "United States of America"),
    "CD": ("DR Kongo", "Demokratische Republik Kongo", "DR Congo"),
    "CG": ("Republik Kongo",),
    "CI": ("Elfenbeinküste", "Ivory Coast"),
    "BY": ("Weißrussland",),
    "MK": ("Mazedonien",),
    "RU": ("Russische Föderation",),
    "KR": ("Korea",),
    "MM": ("Burma",),
    "CZ": ("Tschechien", "Tschechische Republik"),
    "NL": ("Holland",),
}

#: Language names offered first (and spelled out in the tests): the languages of immigration.
COMMON_LANGUAGES = (
    "ar", "kmr", "ckb", "ku", "fa", "prs", "ps", "ti", "so", "am", "tr", "uk", "ru",
    "de", "en", "fr", "sq", "sr", "ro", "bg", "pl", "rom", "ur",
)  # fmt: skip


def fold(text: str) -> str:
    """The form names are compared in: case, accents and spacing do not count."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _SPACES.sub(" ", bare.replace("ß", "ss")).strip()


@dataclass(frozen=True)
class Option:
    """One entry of a picker: what is shown, what is stored, what else finds it."""

    code: str
    name: str
    aliases: tuple[str, ...] = ()

    @property
    def match(self) -> str:
        """Further words the type-ahead matches (``data-match`` of the option)."""
        return " | ".join(self.aliases)


# --- the options ---------------------------------------------------------------------------------


def country_options() -> list[Option]:
    return _country_options(reader_language())


@lru_cache(maxsize=2)
def _country_options(language: str) -> list[Option]:
    options = []
    for code in sorted(country_codes()):
        with override(language):
            name = country_name(code)
        names = {*_country_names(code), *COUNTRY_ALIASES.get(code, ())} - {name}
        options.append(Option(code, name, tuple(sorted(names))))
    return sorted(options, key=lambda option: fold(option.name))


def _country_names(code: str) -> set[str]:
    names = set()
    for language in ("de", "en"):
        with override(language):
            names.add(country_name(code))
    return names


def language_options() -> list[Option]:
    return _language_options(reader_language())


@lru_cache(maxsize=2)
def _language_options(language: str) -> list[Option]:
    """The languages of immigration, then every ISO 639-1 language CLDR names."""
    offered = list(COMMON_LANGUAGES)
    known = language_codes()
    for code in sorted(cldr("de").languages):
        if code in known and (len(code) == 2 or code in LANGUAGE_NAMES) and code not in offered:
            offered.append(code)
    offered.extend(code for code in LANGUAGE_NAMES if code not in offered)
    options = []
    for code in offered:
        with override(language):
            name = language_name(code)
        names = {*_language_names(code), *LANGUAGE_ALIASES.get(code, ())} - {name}
        options.append(Option(code, name, tuple(sorted(names))))
    common = {code: index for index, code in enumerate(COMMON_LANGUAGES)}
    return sorted(options, key=lambda o: (o.code not in common, fold(o.name)))


def _language_names(code: str) -> set[str]:
    names = set()
    for language in ("de", "en"):
        with override(language):
            names.add(language_name(code))
    return names


def level_options() -> list[tuple[str, str]]:
    """(code, label) of the levels a picker suggests after a language, first language first."""
    return [(str(value), str(label)) for value, label in LanguageLevel.choices]


# --- names → codes -----------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _country_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for language in ("de", "en"):
        for option in _country_options(language):
            for name in (option.name, *option.aliases):
                index.setdefault(fold(name), option.code)
    return index


@lru_cache(maxsize=1)
def _language_index() -> dict[str, str]:
    """Every name of a known language (in German and English), its aliases and codes."""
    index: dict[str, str] = {}
    for language in ("de", "en"):
        for option in _language_options(language):
            for name in (option.name, *option.aliases):
                index.setdefault(fold(name), option.code)
    # Languages beyond the offered ones are understood by their CLDR names too.
    known = language_codes()
    for language in ("de", "en"):
        for code, name in cldr(language).languages.items():
            if code in known:
                index.setdefault(fold(str(name)), code)
    return index


def _suggest(text: str, index: dict[str, str], name_of: Callable[[str], str]) -> str:
    """The reader's name of the entry closest to ``text`` among all names known (German,
    English, other names), or '' when none is close."""
    close = difflib.get_close_matches(fold(text), list(index), n=1, cutoff=0.75)
    return name_of(index[close[0]]) if close else ""


def _unknown(message: str, entry: str, suggestion: str) -> ValidationError:
    text = message % {"name": entry}
    if suggestion:
        text = _("%(message)s Did you mean “%(suggestion)s”?") % {
            "message": text,
            "suggestion": suggestion,
        }
    return ValidationError(text, code="unknown")


def country_code(entry: str) -> str | None:
    """The code of a country typed by name (any of its names) or by its ISO code."""
    code = _country_index().get(fold(entry))
    if code:
        return code
    upper = entry.strip().upper()
    return upper if len(upper) == 2 and upper in country_codes() else None


def parse_countries(text: str) -> list[str]:
    """'Syrien, Türkei' (or 'SY, TR') → ['SY', 'TR']; every unknown entry is named."""
    codes: list[str] = []
    errors: list[ValidationError] = []
    for entry in _entries(text):
        code = country_code(entry)
        if code is None:
            suggestion = _suggest(entry, _country_index(), country_name)
            errors.append(_unknown(_("Unknown country “%(name)s”."), entry, suggestion))
        elif code not in codes:
            codes.append(code)
    if errors:
        raise ValidationError(errors)
    return codes


def language_code(entry: str) -> str | None:
    code = _language_index().get(fold(entry))
    if code:
        return code
    lower = entry.strip().lower()
    return lower if 2 <= len(lower) <= 3 and lower in language_codes() else None


@lru_cache(maxsize=1)
def _level_index() -> dict[str, str]:
    words: dict[str, str] = {}
    for language in ("de", "en"):
        with override(language):
            for value, label in LanguageLevel.choices:
                words[fold(str(label))] = str(value)
    for value in LanguageLevel.values:
        words[fold(value)] = str(value)
    extra = {
        "erstsprache": LanguageLevel.NATIVE,
        "muttersprache": LanguageLevel.NATIVE,
        "mother tongue": LanguageLevel.NATIVE,
        "native": LanguageLevel.NATIVE,
        "keine": LanguageLevel.NONE,
        "keine kenntnisse": LanguageLevel.NONE,
        "none": LanguageLevel.NONE,
    }
    words.update({key: str(value) for key, value in extra.items()})
    return words


def _split_level(entry: str) -> tuple[str, str | None]:
    """'Deutsch: A2', 'Deutsch A2', 'de:A2' → ('Deutsch', 'A2'); no level → (entry, None)."""
    if ":" in entry:
        name, _sep, level = entry.rpartition(":")
        return name.strip(), level.strip()
    if language_code(entry) is not None:
        return entry, None
    words = entry.split()
    for size in (2, 1):
        if len(words) > size and fold(" ".join(words[-size:])) in _level_index():
            return " ".join(words[:-size]), " ".join(words[-size:])
    return entry, None


@dataclass(frozen=True)
class LanguageEntry:
    language: str
    level: str


def parse_languages(text: str) -> list[LanguageEntry]:
    """'Arabisch: Erstsprache, Deutsch: A2' → [ar native, de a2]. A language without a level
    counts as a first language (as the stored default says); every bad entry is named."""
    result: list[LanguageEntry] = []
    errors: list[ValidationError] = []
    for entry in _entries(text):
        name, level_word = _split_level(entry)
        code = language_code(name)
        if code is None:
            suggestion = _suggest(name, _language_index(), language_name)
            errors.append(_unknown(_("Unknown language “%(name)s”."), name, suggestion))
            continue
        level = str(LanguageLevel.NATIVE)
        if level_word:
            found = _level_index().get(fold(level_word))
            if found is None:
                errors.append(
                    ValidationError(
                        _(
                            "Unknown level “%(level)s” for %(language)s: give A1 to C2 or "
                            "“%(native)s”."
                        )
                        % {
                            "level": level_word,
                            "language": language_name(code),
                            "native": LanguageLevel.NATIVE.label,
                        },
                        code="level",
                    )
                )
                continue
            level = found
        result.append(LanguageEntry(code, level))
    if errors:
        raise ValidationError(errors)
    return result


def _entries(text: str) -> list[str]:
    return [part.strip() for part in _ENTRIES.split(text or "") if part.strip()]


# --- codes → text (what a form shows again) ------------------------------------------------------


def countries_text(codes: Iterable[str]) -> str:
    return ", ".join(country_name(str(code)) for code in codes)


def languages_text(entries: Iterable[tuple[str, str]]) -> str:
    labels = dict(level_options())
    return ", ".join(
        f"{language_name(code)}: {labels.get(level, level)}" for code, level in entries
    )
