from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from .text import unstorable_character


class GermanFirstLocaleMiddleware:
    """Activate the language the user chose (cookie), otherwise German.

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language: Lotse is a
    German municipal application, so everyone starts in German and may switch.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if not chosen and request.path.startswith("/api/"):
            # Programs say which language they want; people get German until they choose.
            chosen = translation.get_language_from_request(request)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary = response.headers.get("Vary", "")
        if "Cookie" not in patch_vary:
            response.headers["Vary"] = f"{patch_vary}, Cookie" if patch_vary else "Cookie"
        translation.deactivate()
        return response


class RefuseUnstorableInputMiddleware:
    """Pages answer 400 for a URL, query or form value that no database may be asked about.

    A NUL byte (``/people/p/%00/``, ``?q=%00``) reached PostgreSQL, which refuses it in any
    text, even in a look-up: a server error. Form fields refuse it themselves, but pages also
    read ids straight from the URL and the query. The API checks every parameter itself and
    names it (422), so it is left to do so.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith("/api/") and _has_unstorable(request):
            raise BadRequest("unstorable character in the request")
        return self.get_response(request)


def _has_unstorable(request: HttpRequest) -> bool:
    values = [request.path]
    values += [item for _key, items in request.GET.lists() for item in items]
    values += list(request.GET)
    if request.method == "POST" and request.content_type != "application/json":
        values += [item for _key, items in request.POST.lists() for item in items]
        values += list(request.POST)
    return any(isinstance(value, str) and unstorable_character(value) for value in values)
