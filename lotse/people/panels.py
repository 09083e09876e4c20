"""Sections that other domains add to the person page.

The person page belongs to ``people``; journal entries and consents live in apps that depend on
``people``, not the other way round. They register their panel's template here when they load
(``AppConfig.ready``), and the person page includes whatever is registered.
"""

from __future__ import annotations

_PERSON_PANELS: list[str] = []


def register_person_panel(template_name: str) -> None:
    if template_name not in _PERSON_PANELS:
        _PERSON_PANELS.append(template_name)


def person_panels() -> tuple[str, ...]:
    return tuple(_PERSON_PANELS)
