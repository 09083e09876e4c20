"""Checks of codes that come from international standards (ISO 3166, ISO 639), and their names.

Names come from the Unicode CLDR (through Babel) in the reader's language, the names
caseworkers read in everyday German ("Syrien", "Russland"), rather than the ISO standard's
official forms ("Syrien, Arabische Republik"). The languages of immigration that CLDR names in
a linguist's way get the names used in counselling and interpreting (``LANGUAGE_NAMES``).
"""

from __future__ import annotations

import gettext
from functools import lru_cache

import pycountry
from babel import Locale, UnknownLocaleError
from django.utils.translation import get_language

#: Codes beyond ISO 3166-1 that German authorities use: Kosovo (user-assigned, as in the EU).
EXTRA_COUNTRY_CODES = frozenset({"XK"})

#: Language names as German counselling and interpreting services use them, in German and
#: English; CLDR names the rest ("Nordkurdisch" is what families call Kurmanji).
LANGUAGE_NAMES: dict[str, tuple[str, str]] = {
    "kmr": ("Kurdisch (Kurmandschi)", "Kurdish (Kurmanji)"),
    "ckb": ("Kurdisch (Sorani)", "Kurdish (Sorani)"),
    "sdh": ("Kurdisch (Südkurdisch)", "Kurdish (Southern)"),
    "fa": ("Persisch (Farsi)", "Persian (Farsi)"),
    "prs": ("Dari", "Dari"),
    "ps": ("Paschtu", "Pashto"),
    "ti": ("Tigrinya", "Tigrinya"),
    "rom": ("Romanes", "Romani"),
    "ff": ("Fulfulde", "Fula"),
    "sw": ("Swahili", "Swahili"),
    "gsg": ("Deutsche Gebärdensprache", "German Sign Language"),
    "aii": ("Aramäisch (Assyrisch)", "Aramaic (Assyrian)"),
}


@lru_cache(maxsize=1)
def country_codes() -> frozenset[str]:
    return frozenset(c.alpha_2 for c in pycountry.countries) | EXTRA_COUNTRY_CODES


@lru_cache(maxsize=1)
def language_codes() -> frozenset[str]:
    """ISO 639-1 two-letter codes and ISO 639-3 codes (Dari 'prs', Tigrinya 'tir' …)."""
    codes: set[str] = set()
    for language in pycountry.languages:
        codes.add(language.alpha_3)
        alpha_2 = getattr(language, "alpha_2", None)
        if alpha_2:
            codes.add(alpha_2)
    return frozenset(codes)


def reader_language() -> str:
    """'de' or 'en' (the languages of the pages), from the active translation."""
    return "en" if (get_language() or "de").lower().startswith("en") else "de"


@lru_cache(maxsize=4)
def cldr(language: str) -> Locale:
    try:
        return Locale.parse(language)
    except (UnknownLocaleError, ValueError):
        return Locale("de")


@lru_cache(maxsize=4)
def _catalogue(domain: str, language: str) -> gettext.NullTranslations:
    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[language], fallback=True)


def country_name(code: str) -> str:
    return _country_name(code, reader_language())


@lru_cache(maxsize=2048)
def _country_name(code: str, language: str) -> str:
    named = cldr(language).territories.get(code)
    if named:
        return str(named)
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    name = getattr(country, "common_name", None) or country.name
    return _catalogue("iso3166-1", language).gettext(name)


def language_name(code: str) -> str:
    return _language_name(code, reader_language())


@lru_cache(maxsize=16384)
def _language_name(code: str, language: str) -> str:
    if code in LANGUAGE_NAMES:
        german, english = LANGUAGE_NAMES[code]
        return english if language == "en" else german
    named = cldr(language).languages.get(code)
    if named:
        return str(named)
    entry = (
        pycountry.languages.get(alpha_2=code) if len(code) == 2 else None
    ) or pycountry.languages.get(alpha_3=code)
    if entry is None:
        return code
    return _catalogue("iso639-3", language).gettext(entry.name)
