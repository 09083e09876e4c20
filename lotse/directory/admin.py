"""The directory in the Django admin: the texts of the public site (``CityText``).

Offers and providers are kept on the staff pages (``/directory/``), where the services check
who may write and record every change; the admin holds only what has no page of its own.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from lotse.accounts.admin import AuditedAdminMixin

from .models import CityText


@admin.register(CityText)
class CityTextAdmin(AuditedAdminMixin[CityText]):
    list_display = ["page", "language", "title", "updated_at"]
    list_filter = ["page", "language"]
    search_fields = ["title", "body"]
    ordering = ["page", "language"]

    def get_form(
        self, request: HttpRequest, obj: CityText | None = None, change: bool = False, **kwargs: Any
    ) -> type[ModelForm[CityText]]:
        kwargs.setdefault("help_texts", {}).update(
            {
                "language": _(
                    "A language code such as de or en. Visitors reading another language get "
                    "the German text."
                ),
                "body": _(
                    "Plain text, no HTML. Separate paragraphs by a blank line. A line of its "
                    "own starting with '## ' is a heading; lines starting with '- ' form a list. "
                    "Web and e-mail addresses become links. Until a text is saved here, the "
                    "site shows the text shipped with Lotse."
                ),
            }
        )
        return super().get_form(request, obj, change, **kwargs)
