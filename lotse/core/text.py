"""Plain-text input as people type it: refused when it cannot be shown or printed honestly.

Names and free texts end up on pages, in PDFs signed by families and in exports. A NUL byte
breaks PostgreSQL, control characters break CSV and PDF, and bidirectional overrides (U+202E)
make a printed name read backwards — so such input is refused with a message naming the field,
never silently changed. Only surrounding whitespace is trimmed.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Explicit embeddings, overrides and isolates: they reorder what is printed. Arabic and Persian
# names need none of them (their direction comes from the letters themselves).
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
#: Zero-width joiners are part of Persian and Indic spelling; every other format char is not.
_ALLOWED_FORMAT = frozenset("\u200c\u200d")
_LINE_BREAKS = frozenset("\n\r\t")

NAME_MAX = 200
ALIASES_MAX = 10
SHORT_TEXT_MAX = 500
LONG_TEXT_MAX = 10_000


def _bad_character(value: str, *, multiline: bool) -> str | None:
    for char in value:
        if char in BIDI_CONTROLS:
            return char
        if multiline and char in _LINE_BREAKS:
            continue
        category = unicodedata.category(char)
        if category == "Cc" or (category == "Cf" and char not in _ALLOWED_FORMAT):
            return char
        if category in {"Cs", "Co", "Cn"}:  # surrogates, private use, unassigned
            return char
    return None


def unstorable_character(value: str) -> str | None:
    """The first character of ``value`` that no database may be asked about, if any: NUL
    (PostgreSQL refuses it in every text, even in a look-up) and lone UTF-16 surrogates (JSON
    ``"\\udc00"``; no UTF-8 encoding exists for them). The API refuses them in every string
    it is sent — IDs and codes too, which are only looked up and never pass
    :func:`clean_text` (that refuses these and every other control character)."""
    for char in value:
        if char == "\x00" or "\ud800" <= char <= "\udfff":
            return char
    return None


def bad_character_message(char: str) -> str:
    return _(
        "Contains an invisible control character (U+%(code)04X) that cannot be "
        "shown or printed; type the text again without it."
    ) % {"code": ord(char)}


def clean_text(
    value: str | None,
    *,
    field: str,
    max_length: int,
    required: bool = False,
    multiline: bool = False,
) -> str:
    """``value`` trimmed, or a ValidationError on ``field`` saying what is wrong with it."""
    text = (value or "").strip()
    if not text:
        if required:
            raise ValidationError({field: _("This field cannot be empty or only spaces.")})
        return ""
    bad = _bad_character(text, multiline=multiline)
    if bad is not None:
        raise ValidationError({field: bad_character_message(bad)})
    if len(text) > max_length:
        raise ValidationError(
            {
                field: _("At most %(max)s characters (this has %(length)s).")
                % {"max": max_length, "length": len(text)}
            }
        )
    return text


def clean_name(value: str | None, *, field: str, required: bool = False) -> str:
    return clean_text(value, field=field, max_length=NAME_MAX, required=required)


def clean_names(values: Iterable[object], *, field: str, max_items: int = ALIASES_MAX) -> list[str]:
    """A list of spellings: each cleaned like a name, empty ones dropped, duplicates once."""
    cleaned: list[str] = []
    for index, item in enumerate(values):
        text = clean_name(str(item), field=f"{field}[{index}]")
        if text and text not in cleaned:
            cleaned.append(text)
    if len(cleaned) > max_items:
        raise ValidationError({field: _("At most %(max)s other spellings.") % {"max": max_items}})
    return cleaned
