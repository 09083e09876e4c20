"""Checks of codes that come from international standards (ISO 3166, ISO 639)."""

from __future__ import annotations

import gettext
from functools import lru_cache

import pycountry
from django.utils.translation import get_language


@lru_cache(maxsize=1)
def country_codes() -> frozenset[str]:
    return frozenset(c.alpha_2 for c in pycountry.countries)


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


@lru_cache(maxsize=4)
def _catalogue(domain: str, language: str) -> gettext.NullTranslations:
    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[language], fallback=True)


def country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    name = getattr(country, "common_name", None) or country.name
    return _catalogue("iso3166-1", get_language() or "de").gettext(name)


def language_name(code: str) -> str:
    language = (
        pycountry.languages.get(alpha_2=code) if len(code) == 2 else None
    ) or pycountry.languages.get(alpha_3=code)
    if language is None:
        return code
    return _catalogue("iso639-3", get_language() or "de").gettext(language.name)
