"""Report a barrier: the feedback mechanism of the accessibility statement (no login).

BITV 2.0 § 7 and Directive (EU) 2016/2102 Art. 7(1)(b) require a public body's accessibility
statement to offer an electronic way to report a barrier or to ask for content in an
accessible form. This form is that way for the public directory under ``/angebote/``.

What a visitor writes is sent by e-mail to the city's accessibility contact
(``settings.ACCESSIBILITY_FEEDBACK_EMAIL``) and not stored in Lotse: no model, no audit event,
no log line with its content. The mail holds what was typed (and the address of the page, if
the visitor named a page of this site), the language of the page and the time — never the
client's address or browser.

Abuse: a hidden field people never see (filled in → the same thank-you page, nothing sent)
and at most :data:`FEEDBACK_LIMIT` messages per client address and :data:`FEEDBACK_WINDOW`
seconds, counted in the shared cache under a keyed hash of the address, never the address
itself. Beyond the limit the answer is 429 with a friendly page.
"""

from __future__ import annotations

import logging
import smtplib
import time
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.formats import date_format, number_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from lotse.core.client_ip import client_ip_address
from lotse.core.forms import KernForm, error_summary
from lotse.core.text import NAME_MAX, SHORT_TEXT_MAX, clean_text

from .public_texts import ENFORCEMENT_BODY

logger = logging.getLogger(__name__)

#: Messages one client address may send per window …
FEEDBACK_LIMIT = 5
#: … of this many seconds.
FEEDBACK_WINDOW = 60 * 60
#: The longest description of a barrier (about two pages of text).
BARRIER_MAX = 5000
#: The name of the hidden field only robots fill in.
HONEYPOT = "website"


# --- the page a report is about -----------------------------------------------------------------


def local_path(value: str | None) -> str:
    """``value`` if it is a path on this site ("/angebote/…"), else "".

    Only such a path is prefilled from ``?page=`` and ever used as a link: an address of
    another site ("https://evil.example/", "//evil.example", "/\\evil.example") never is."""
    text = (value or "").strip()
    if not text.startswith("/") or text.startswith(("//", "/\\")) or len(text) > SHORT_TEXT_MAX:
        return ""
    if any(char.isspace() or ord(char) < 32 or char == "\\" for char in text):
        return ""
    if not url_has_allowed_host_and_scheme(text, allowed_hosts=set()):
        return ""
    return text


# --- the form -----------------------------------------------------------------------------------


def _cleaned(value: Any, *, field: str, max_length: int, multiline: bool = False) -> str:
    try:
        return clean_text(value, field=field, max_length=max_length, multiline=multiline)
    except ValidationError as error:
        # clean_text names its field; here the form does, so only the messages are passed on.
        raise ValidationError(error.messages) from None


class FeedbackForm(KernForm):
    page = forms.CharField(
        label=gettext_lazy("Which page or offer is it about?"),
        help_text=gettext_lazy("For example the address of the page, or the name of the offer."),
        required=False,
        max_length=SHORT_TEXT_MAX,
    )
    barrier = forms.CharField(
        label=gettext_lazy("What is the barrier, or which content do you need in another form?"),
        max_length=BARRIER_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    name = forms.CharField(
        label=gettext_lazy("Your name"),
        required=False,
        max_length=NAME_MAX,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=gettext_lazy("Your e-mail address"),
        help_text=gettext_lazy("Only if you would like an answer. We use it for nothing else."),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    # Hidden from people (the template hides its wrapper); robots fill in every field.
    website = forms.CharField(
        label=gettext_lazy("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    #: The fields people see, in order (the template shows the honeypot on its own).
    visible = ("page", "barrier", "name", "email")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Here, not on the field: the number is put in when the visitor's language is active.
        self.fields["barrier"].help_text = _(
            "For example: what you wanted to do, what did not work, and which aids you use "
            "(screen reader, magnifier, keyboard only). At most %(max)s characters."
        ) % {"max": number_format(BARRIER_MAX, force_grouping=True)}
        if self.initial.get("page"):
            self.fields["page"].help_text = _(
                "The address of the page you came from is filled in. You can change it or "
                "describe the page or offer in your own words."
            )

    def clean_page(self) -> str:
        return _cleaned(self.cleaned_data.get("page"), field="page", max_length=SHORT_TEXT_MAX)

    def clean_barrier(self) -> str:
        text = _cleaned(
            self.cleaned_data.get("barrier"),
            field="barrier",
            max_length=BARRIER_MAX,
            multiline=True,
        )
        if not text:
            raise ValidationError(self.fields["barrier"].error_messages["required"], "required")
        return text.replace("\r\n", "\n").replace("\r", "\n")

    def clean_name(self) -> str:
        return _cleaned(self.cleaned_data.get("name"), field="name", max_length=NAME_MAX)

    @property
    def is_robot(self) -> bool:
        return bool(str(self.data.get(HONEYPOT, "")).strip())


# --- the limit per client address ---------------------------------------------------------------


def _limit_key(request: HttpRequest) -> str:
    address = client_ip_address(request) or "unknown"
    digest = salted_hmac("lotse.directory.accessibility-feedback", address).hexdigest()
    return f"lotse:accessibility-feedback:{digest}"


def _recent(key: str, now: float) -> list[float]:
    """When this address sent its messages within the window (a sliding window).

    A list of times rather than ``cache.incr``: the database cache's ``incr`` sets the value
    again with the default timeout, which would shorten the window to five minutes."""
    stored = cache.get(key)
    if not isinstance(stored, list):
        return []
    return [float(t) for t in stored if isinstance(t, int | float) and now - t < FEEDBACK_WINDOW]


def _limited(request: HttpRequest) -> bool:
    return len(_recent(_limit_key(request), time.time())) >= FEEDBACK_LIMIT


def _count(request: HttpRequest) -> None:
    """One more message from this address; the cache forgets it after the window."""
    key, now = _limit_key(request), time.time()
    cache.set(key, [*_recent(key, now), now], timeout=FEEDBACK_WINDOW)


# --- the e-mail ---------------------------------------------------------------------------------


def feedback_message(request: HttpRequest, data: dict[str, str]) -> EmailMessage:
    """The e-mail to the city's contact: what was typed, and nothing about the sender beyond."""
    language = get_language() or settings.LANGUAGE_CODE
    language_name = dict(settings.LANGUAGES).get(language, language)
    page = data.get("page", "")
    path = local_path(page)
    with translation.override(settings.LANGUAGE_CODE):
        lines = [
            _("A barrier was reported in the public directory of offers."),
            "",
            _("Page or offer: %(page)s") % {"page": page or _("not given")},
        ]
        if path:
            lines.append(_("Address: %(url)s") % {"url": request.build_absolute_uri(path)})
        lines += [
            "",
            _("The barrier:"),
            data["barrier"],
            "",
            _("Name: %(name)s") % {"name": data.get("name") or _("not given")},
            _("E-mail address: %(email)s") % {"email": data.get("email") or _("not given")},
            _("Language of the page: %(language)s") % {"language": str(language_name)},
            _("Sent: %(when)s") % {"when": date_format(timezone.localtime(), "DATETIME_FORMAT")},
            "",
            _(
                "This message is not stored in Lotse. Please answer within one month "
                "(BITV NRW); without an e-mail address no answer is possible."
            ),
        ]
        subject = _("Accessibility: a barrier was reported")
    email = data.get("email", "")
    return EmailMessage(
        subject=subject,
        body="\n".join(lines),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[settings.ACCESSIBILITY_FEEDBACK_EMAIL],
        reply_to=[email] if email else None,
    )


# --- the pages ----------------------------------------------------------------------------------


def _page(
    request: HttpRequest, form: FeedbackForm, *, status: int = 200, **context: Any
) -> HttpResponse:
    return render(
        request,
        "directory/public/feedback.html",
        {
            "form": form,
            "visible_fields": [form[name] for name in form.visible],
            "honeypot": form[HONEYPOT],
            "summary": error_summary(form) if form.is_bound else [],
            "recipient": settings.ACCESSIBILITY_FEEDBACK_EMAIL,
            "limit": FEEDBACK_LIMIT,
            **context,
        },
        status=status,
    )


def _thanks_url(page: str) -> str:
    url = reverse("public:accessibility_feedback_thanks")
    path = local_path(page)
    return f"{url}?{urlencode({'page': path})}" if path else url


@login_not_required
@require_http_methods(["GET", "POST"])
def feedback(request: HttpRequest) -> HttpResponse:
    if not settings.ACCESSIBILITY_FEEDBACK_EMAIL:
        # Not set up here: say so, and point to the statement's postal address and phone.
        return _page(
            request,
            FeedbackForm(),
            status=503 if request.method == "POST" else 200,
            unavailable=True,
        )
    if request.method != "POST":
        return _page(request, FeedbackForm(initial={"page": local_path(request.GET.get("page"))}))
    form = FeedbackForm(request.POST)
    if _limited(request):
        response = _page(request, form, status=429, limited=True)
        response["Retry-After"] = str(FEEDBACK_WINDOW)
        return response
    if form.is_robot:
        # The same answer as for a person, so a robot learns nothing; nothing is sent.
        _count(request)
        return HttpResponseRedirect(_thanks_url(str(request.POST.get("page", ""))))
    if not form.is_valid():
        return _page(request, form, status=400)
    try:
        feedback_message(request, form.cleaned_data).send(fail_silently=False)
    except (smtplib.SMTPException, OSError) as error:
        # Nothing of the message in the log (an SMTP error may quote addresses): only the kind.
        logger.error("accessibility feedback could not be sent: %s", type(error).__name__)
        return _page(request, form, status=503, send_failed=True)
    _count(request)
    return HttpResponseRedirect(_thanks_url(form.cleaned_data["page"]))


@login_not_required
@require_GET
def feedback_thanks(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "directory/public/feedback_thanks.html",
        {"back": local_path(request.GET.get("page")), "enforcement": ENFORCEMENT_BODY},
    )
