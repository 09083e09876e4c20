from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def shell(request: HttpRequest) -> dict[str, Any]:
    """What the page frame shows on every page: who is acting for which agency, in which role."""
    membership = getattr(request, "membership", None)
    return {"membership": membership}
