"""Errors every domain raises the same way."""

from __future__ import annotations

from django.http import Http404


class AccessDenied(Http404):
    """A service refuses an action the member may not take.

    A subclass of ``Http404`` on purpose: forbidden must look like missing, so that pages and
    the API answer it exactly like an unknown id (DESIGN §3) without a handler of their own.
    """
