"""Display helpers for case pages: ``{{ code|spoken_language }}`` names a language by its ISO
code in the reader's language — "Arabisch", not "ar". (Not ``language_name``: Django's i18n
library has a filter of that name for the page languages, and ``{% load i18n %}`` would hide
this one.)"""

from __future__ import annotations

from django import template

from lotse.people.validation import language_name

register = template.Library()


@register.filter
def spoken_language(code: str) -> str:
    return language_name(code) if code else ""
