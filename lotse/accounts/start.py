"""Sections that domains add to the start page ("what is due for me").

The start page belongs to ``accounts``, which every domain depends on; the domains register a
provider when they load (``AppConfig.ready``). A provider reads what it shows through its own
access scope, records its read through the one audited read path and returns the rendered
section, or None when the member has nothing there.
"""

from __future__ import annotations

from typing import Protocol

from django.http import HttpRequest
from django.utils.safestring import SafeString

from .models import Membership


class StartPanelProvider(Protocol):
    def __call__(self, *, request: HttpRequest, membership: Membership) -> SafeString | None: ...


_START_PANELS: list[StartPanelProvider] = []


def register_start_panel(provider: StartPanelProvider) -> None:
    if provider not in _START_PANELS:
        _START_PANELS.append(provider)


def start_panels(*, request: HttpRequest, membership: Membership) -> list[SafeString]:
    panels = (p(request=request, membership=membership) for p in _START_PANELS)
    return [panel for panel in panels if panel is not None]
