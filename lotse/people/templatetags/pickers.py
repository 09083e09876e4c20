"""``{% picker_lists %}``: the options of the nationality and language pickers on a page.

One ``<datalist>`` each per page, shared by every row (people/_picker_lists.html); the script
``people/picker.js`` reads them for its type-ahead list.
"""

from __future__ import annotations

from typing import Any

from django import template

from lotse.people.forms import COUNTRY_LIST, LANGUAGE_LIST
from lotse.people.pickers import country_options, language_options

register = template.Library()


@register.inclusion_tag("people/_picker_lists.html")
def picker_lists(*, languages: bool = True) -> dict[str, Any]:
    return {
        "country_list": COUNTRY_LIST,
        "language_list": LANGUAGE_LIST,
        "country_options": country_options(),
        "language_options": language_options() if languages else [],
    }
