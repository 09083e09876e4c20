"""The public directory under ``/angebote/`` (no login; see ``public_views``)."""

from django.urls import path

from . import public_feedback
from . import public_views as views
from .models import CityText

app_name = "public"

urlpatterns = [
    path("", views.search, name="search"),
    path("drucken/", views.print_view, name="print"),
    path("karte/", views.map_view, name="map"),
    path("feed.json", views.feed, name="feed"),
    path("feed/", views.feed_doc, name="feed_doc"),
    path("impressum/", views.legal, {"page": CityText.Page.IMPRINT}, name="imprint"),
    path("datenschutz/", views.legal, {"page": CityText.Page.PRIVACY}, name="privacy"),
    path(
        "barrierefreiheit/",
        views.legal,
        {"page": CityText.Page.ACCESSIBILITY},
        name="accessibility",
    ),
    # Report a barrier (BITV 2.0 § 7): the statement's feedback form and its thank-you page.
    path(
        "barrierefreiheit/rueckmeldung/",
        public_feedback.feedback,
        name="accessibility_feedback",
    ),
    path(
        "barrierefreiheit/rueckmeldung/danke/",
        public_feedback.feedback_thanks,
        name="accessibility_feedback_thanks",
    ),
    path(
        "leichte-sprache/",
        views.legal,
        {"page": CityText.Page.EASY_LANGUAGE},
        name="easy_language",
    ),
    path("<uuid:hsds_id>/", views.offer_detail, name="offer"),
]
