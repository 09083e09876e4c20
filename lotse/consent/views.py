"""Pages of the access core: consents, the legal-basis register, emergency access.

Thin: capability first (404 like a missing page), forms → services for writes, selectors for
reads. What a page shows is exactly what the selectors' scopes allow; reads of consents are
audited here, writes by the services. The DPO's pages name persons by their Lotse ID only.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lotse.accounts.access import current_user, membership_with
from lotse.accounts.models import Membership
from lotse.accounts.roles import Capability
from lotse.audit.models import AuditAction
from lotse.audit.services import record
from lotse.core.forms import apply_service_errors, error_summary, explained_choices
from lotse.core.paging import Paging
from lotse.core.pdf import pdf_response

from . import display, policy, rules, selectors, services
from .dpo import dpo_contact
from .form import LANGUAGES, TEXTS
from .forms import (
    CATEGORY_HELP,
    BreakGlassForm,
    BreakGlassReviewForm,
    BreakGlassStartForm,
    ConsentFilterForm,
    ConsentForm,
    GiveForm,
    LegalBasisForm,
    WithdrawForm,
    chose_foreigners_authority,
    foreigners_authority_rules,
    renewal_initial,
)
from .models import BreakGlass, ConsentDeclaration, LegalBasis
from .reads import audited_denial, audited_read

GivenBy = ConsentDeclaration.GivenBy
REGISTER_PAGE = 25
REVIEW_PAGE = 25
READ_CONSENTS = (Capability.READ_CASE_CONTENT, Capability.VIEW_CONSENT_REGISTER)
READ_LEGAL_BASES = (Capability.READ_CASE_CONTENT, Capability.MANAGE_LEGAL_BASES)
# Who may ask for the scan of a signed form at all; ``selectors.may_open_signed_form`` decides.
OPEN_SIGNED_FORMS = (Capability.RECORD_CONSENT, Capability.VIEW_CONSENT_REGISTER)
SIGNED_FORM_EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


def membership_with_any(request: HttpRequest, *capabilities: Capability) -> Membership:
    """Like ``membership_with`` for pages open to more than one capability."""
    membership: Membership | None = getattr(request, "membership", None)
    if membership is None or not any(membership.can(c) for c in capabilities):
        raise Http404
    return membership


def _viewed(
    request: HttpRequest,
    membership: Membership,
    *,
    action: str = AuditAction.CONSENT_VIEWED,
    target: Any = None,
    subject: int | None = None,
    subjects: Any = (),
    **detail: Any,
) -> None:
    """Audit a read through the one read path: counts and ids, never names."""
    audited_read(
        membership=membership,
        actor=current_user(request),
        action=action,
        target=target,
        subject=subject,
        subjects=subjects,
        **detail,
    )


def _denied(request: HttpRequest, membership: Membership, target: Any, **detail: Any) -> None:
    audited_denial(membership=membership, actor=current_user(request), target=target, **detail)


# --- recording a consent -------------------------------------------------------------------------


def _consent_data(form: ConsentForm) -> services.ConsentData:
    """The declaration for the person the form is about. The guardian's name goes with it
    only if a guardian consents for this person (it may be typed for the children alone)."""
    data = form.cleaned_data
    by_guardian = data["given_by"] == ConsentDeclaration.GivenBy.GUARDIAN
    return services.ConsentData(
        recipient_agencies=list(data["recipient_agencies"]),
        disclosing_agencies=list(data["disclosing_agencies"]),
        categories=list(data["categories"]),
        purpose=data["purpose"],
        purpose_text=data["purpose_text"],
        given_by=data["given_by"],
        guardian_name=data["guardian_name"] if by_guardian else "",
        includes_entrusted=data["includes_entrusted"],
        valid_from=data["valid_from"],
        valid_until=data["valid_until"],
        form_version=data["form_version"],
        form_language=data["form_language"],
        status=data["status"],
        no_scan_reason=data["no_scan_reason"],
    )


def _for_member(data: services.ConsentData, member: Any, guardian: str) -> services.ConsentData:
    """The same declaration for another household member: a child under 15 through the
    parent or guardian named on the form, everyone else themself."""
    age = member.age_on(timezone.localdate())
    minor = age is not None and age < services.GUARDIAN_AGE
    return replace(
        data,
        given_by=ConsentDeclaration.GivenBy.GUARDIAN
        if minor
        else ConsentDeclaration.GivenBy.SUBJECT,
        guardian_name=guardian if minor else "",
        recipient_agencies=list(data.recipient_agencies),
        disclosing_agencies=list(data.disclosing_agencies),
    )


def _record_page(
    request: HttpRequest,
    membership: Membership,
    person: Any,
    form: ConsentForm,
    companions: dict[str, Any],
    chosen: Any,
    *,
    status: int = 200,
) -> HttpResponse:
    """The form page: 200 to fill in, 400 when what was sent is wrong or refused."""
    # The page names the person (and household members to choose): a read of identity.
    _viewed(
        request,
        membership,
        action=AuditAction.PERSON_VIEWED,
        target=person,
        subjects=[member.pk for member in companions.values()],
        section="consent_form",
    )
    return render(
        request,
        "consent/record.html",
        {
            "person": person,
            "form": form,
            "categories": explained_choices(form["categories"], CATEGORY_HELP),
            "firewall_rules": foreigners_authority_rules(),
            "foreigners_authority_chosen": chose_foreigners_authority(chosen),
            "summary": error_summary(form),
            "dpo": dpo_contact(),
            "print_languages": [(code, TEXTS[code].name) for code in LANGUAGES],
        },
        status=status,
    )


def _consent_form(
    request: HttpRequest, membership: Membership, person: Any
) -> tuple[ConsentForm, dict[str, Any]]:
    companions = {
        member.public_id: member
        for member in selectors.household_companions(membership=membership, subject=person)
    }
    choices = [(pid, f"{m.full_name} ({pid})") for pid, m in companions.items()]
    bound = request.method == "POST"
    extra: dict[str, Any] = {}
    if not bound and "renew" in request.GET:
        extra["initial"] = renewal_initial(_renewed(request, membership, person), membership.agency)
    form = ConsentForm(
        request.POST if bound else None,
        request.FILES if bound else None,
        agency=membership.agency,
        household_members=choices,
        **extra,
    )
    if not bound and "renew" not in request.GET:
        # From a consent gap: who receives, which information, what for (never more).
        form.prefill(request.GET)
    return form, companions


def _renewed(request: HttpRequest, membership: Membership, person: Any) -> ConsentDeclaration:
    """The consent ``?renew=`` names: one of this person's that the member's agency recorded
    and may renew — anything else (another's, another person's, no number) is a 404."""
    raw = request.GET.get("renew", "")
    if not raw.isdigit() or len(raw) > 18:
        raise Http404
    consent = selectors.consent_get(membership=membership, consent_id=int(raw))
    if consent.subject_id != person.pk or not rules.may_renew(membership, consent):
        raise Http404
    return consent


@require_http_methods(["GET", "POST"])
def record_consent(request: HttpRequest, public_id: str) -> HttpResponse:
    """Record a consent for the person and, if chosen, the same one for household members."""
    membership = membership_with(request, Capability.RECORD_CONSENT)
    person = selectors.subject_get(membership=membership, public_id=public_id, for_consent=True)
    form, companions = _consent_form(request, membership, person)
    if request.method == "POST" and form.is_valid():
        data = _consent_data(form)
        guardian = form.cleaned_data["guardian_name"]
        members = [companions[pid] for pid in form.cleaned_data.get("also_for", [])]
        try:
            declarations = services.consent_record_many(
                subjects=[
                    (person, data),
                    *((m, _for_member(data, m, guardian)) for m in members),
                ],
                membership=membership,
                actor=current_user(request),
                signed_form=form.cleaned_data["signed_form"] or None,
            )
        except ValidationError as error:
            _member_errors(form, error, [person, *members])
        else:
            policy.forget(membership)
            numbers = ", ".join(str(d.pk) for d in declarations)
            messages.success(
                request,
                ngettext(
                    "Consent no. %(numbers)s has been recorded.",
                    "Consents no. %(numbers)s have been recorded, one for each person.",
                    len(declarations),
                )
                % {"numbers": numbers},
            )
            return redirect("consent:detail", pk=declarations[0].pk)
    # htmx asks again when recipients are ticked: the firewall note follows the choice.
    chosen = request.POST if request.method == "POST" else request.GET
    status = 400 if request.method == "POST" else 200
    return _record_page(request, membership, person, form, companions, chosen, status=status)


def _member_errors(form: ConsentForm, error: ValidationError, persons: list[Any]) -> None:
    """A service error; one about another member ('members[2].given_by') names that member."""
    by_field = error.error_dict if hasattr(error, "error_dict") else {"__all__": error.error_list}
    for key, items in by_field.items():
        found = re.match(r"^members\[(\d+)\]\.?(.*)$", key)
        if found is None:
            apply_service_errors(form, ValidationError({key: items}))
            continue
        member = persons[int(found.group(1))]
        for item in items:
            for message in item:
                form.add_error(
                    "also_for",
                    _("For %(name)s: %(message)s") % {"name": member.full_name, "message": message},
                )


@require_POST
def print_draft(request: HttpRequest, public_id: str) -> HttpResponse:
    """The form as filled in so far, printed before anything is saved: the family reads and
    signs exactly this, and the consent is recorded afterwards."""
    membership = membership_with(request, Capability.RECORD_CONSENT)
    person = selectors.subject_get(membership=membership, public_id=public_id, for_consent=True)
    form, companions = _consent_form(request, membership, person)
    language = str(request.POST.get("print_language", "de"))
    if language not in LANGUAGES:
        language = "de"
    # Printing needs what the form says, not yet the signature or its scan.
    form.is_valid()
    for name in ("no_scan_reason", "signed_form", "status"):
        form.errors.pop(name, None)
    if form.errors:
        return _record_page(request, membership, person, form, companions, request.POST, status=400)
    try:
        draft = services.consent_draft(
            subject=person,
            data=_consent_data(form),
            membership=membership,
            actor=current_user(request),
        )
    except ValidationError as error:
        apply_service_errors(form, error)
        return _record_page(request, membership, person, form, companions, request.POST, status=400)
    from .pdf import consent_form_pdf  # WeasyPrint loads only when a form is printed

    pdf = consent_form_pdf(draft.declaration, language, draft=(draft.recipients, draft.disclosing))
    _viewed(
        request,
        membership,
        action=AuditAction.PERSON_VIEWED,
        target=person,
        section="consent_draft",
        printed=language,
    )
    return pdf_response(pdf, filename=f"consent-draft-{person.public_id}-{language}.pdf")


# --- registers ---------------------------------------------------------------------------------


def _may_open_scan(membership: Membership, consent: ConsentDeclaration) -> bool:
    return bool(consent.signed_form) and selectors.may_open_signed_form(
        membership=membership, consent=consent
    )


def _register_rows(
    consents: list[ConsentDeclaration], membership: Membership
) -> list[dict[str, Any]]:
    today = timezone.localdate()
    # Names only where the member may read them (selectors.subject_names), by one query.
    names = selectors.subject_names(
        membership=membership, subject_ids={consent.subject_id for consent in consents}
    )
    rows = []
    for consent in consents:
        status = consent.effective_status(today)
        name = names.get(consent.subject_id, "")
        rows.append(
            {
                "consent": consent,
                "title": display.consent_title(consent),
                "name": name,
                "status": status,
                "status_label": ConsentDeclaration.Status(status).label,
                "categories": display.category_labels(list(consent.categories)),
                "recorded_by": display.staff_name(consent.recorded_by),
                "may_open_scan": _may_open_scan(membership, consent),
                "pending": bool(rules.pending_ids(consent)),
                "expiring": status == ConsentDeclaration.Status.GIVEN
                and (consent.valid_until - today).days <= selectors.EXPIRING_DAYS,
            }
        )
    return rows


@require_GET
def person_register(request: HttpRequest, public_id: str) -> HttpResponse:
    """The person's consents that name the member's agency (need-to-know)."""
    membership = membership_with(request, Capability.READ_CASE_CONTENT)
    person = selectors.subject_get(membership=membership, public_id=public_id)
    consents = selectors.consent_list(
        membership=membership, filters=selectors.ConsentFilter(subject_id=person.pk)
    )
    paging = Paging.of(request, total=consents.count(), per_page=REGISTER_PAGE)
    page = list(consents[paging.offset : paging.end])
    _viewed(
        request,
        membership,
        subject=person.pk,
        count=paging.total,
        shown=[consent.pk for consent in page],
    )
    return render(
        request,
        "consent/person_register.html",
        {
            "person": person,
            "rows": _register_rows(page, membership),
            "paging": paging,
            "may_record": membership.can(Capability.RECORD_CONSENT)
            and not policy.explain(membership, person).basis.startswith(policy.Basis.BREAK_GLASS),
            "may_break_glass": membership.can(Capability.BREAK_GLASS),
        },
    )


def _register_filters(
    form: ConsentFilterForm,
) -> selectors.ConsentFilter | None:
    """The register's filters, or None when one is wrong (the error is put on its field)."""
    if not form.is_bound:
        return selectors.ConsentFilter()
    if not form.is_valid():
        return None
    data = form.cleaned_data
    subject_id = None
    if data["person"].strip():
        subject_id = selectors.subject_id_for(data["person"])
        if subject_id is None:
            form.add_error("person", _("No person with this Lotse ID."))
            return None
    agency = data.get("agency")
    return selectors.ConsentFilter(
        subject_id=subject_id,
        status=data["status"],
        agency_id=agency.pk if agency else None,
        since=data["since"],
        until=data["until"],
    )


def _register_query(request: HttpRequest) -> tuple[ConsentFilterForm, Any, str]:
    """The filter form, the filters (None: wrong input) and the query without the page."""
    params = request.GET.copy()
    params.pop("page", None)
    form = ConsentFilterForm(params or None)
    return form, _register_filters(form), params.urlencode()


@require_GET
def register(request: HttpRequest) -> HttpResponse:
    """The DPO's register of every consent, with the person's name (``subject_names``)."""
    membership = membership_with(request, Capability.VIEW_CONSENT_REGISTER)
    form, filters, query = _register_query(request)
    consents = (
        selectors.consent_list(membership=membership, filters=filters)
        if filters is not None
        else ConsentDeclaration.objects.none()
    )
    paging = Paging.of(request, total=consents.count(), per_page=REGISTER_PAGE)
    page = list(consents[paging.offset : paging.end])
    _viewed(
        request,
        membership,
        subjects={consent.subject_id for consent in page},
        count=paging.total,
        shown=[consent.pk for consent in page],
    )
    return render(
        request,
        "consent/register.html",
        {
            "form": form,
            "rows": _register_rows(page, membership),
            "paging": paging,
            "query": query,
            "summary": error_summary(form),
            "expiring_days": selectors.EXPIRING_DAYS,
        },
    )


EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@require_GET
def register_export(request: HttpRequest, file_format: str) -> HttpResponseBase:
    """The register as filtered on the page, every row, as CSV or XLSX: the DPO's only.

    Audited as an export before the first byte leaves, with the filters, the number of
    consents and every person in it (so "who saw this person" finds the export too).
    """
    membership = membership_with(request, Capability.VIEW_CONSENT_REGISTER)
    if file_format not in EXPORT_TYPES:
        raise Http404
    form, filters, _query = _register_query(request)
    if filters is None:
        raise Http404  # the page shows why; a download of a wrong filter has nothing to say
    consents = selectors.consent_list(membership=membership, filters=filters)
    subject_ids = set(consents.order_by().values_list("subject_id", flat=True).distinct())
    names = selectors.subject_names(membership=membership, subject_ids=subject_ids)
    record(
        action=AuditAction.CONSENTS_EXPORTED,
        actor=current_user(request),
        agency=membership.agency,
        subject_id=filters.subject_id,
        subject_ids=subject_ids,
        detail={
            "format": file_format,
            "count": consents.count(),
            "filters": sorted(name for name, value in form.data.items() if value),
        },
    )
    from . import export  # openpyxl loads only when a register is exported

    rows = export.register_cells(consents, names)
    filename = f"consent-register-{timezone.localdate().isoformat()}.{file_format}"
    response: HttpResponseBase
    if file_format == "csv":
        response = StreamingHttpResponse(
            export.csv_lines(rows, language=translation.get_language()),
            content_type=EXPORT_TYPES["csv"],
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    else:
        response = FileResponse(
            export.xlsx_file(rows),
            as_attachment=True,
            filename=filename,
            content_type=EXPORT_TYPES["xlsx"],
        )
    response["Cache-Control"] = "private, no-store"
    return response


# --- one consent -------------------------------------------------------------------------------


def _consent_or_404(request: HttpRequest, membership: Membership, pk: int) -> ConsentDeclaration:
    try:
        return selectors.consent_get(membership=membership, consent_id=pk)
    except Http404:
        # Forbidden or missing: the caller learns nothing, the audit keeps the attempt.
        _denied(request, membership, selectors.consent_ref(pk), consent=pk)
        raise


def _detail_page(
    request: HttpRequest,
    membership: Membership,
    consent: ConsentDeclaration,
    *,
    withdraw_form: WithdrawForm | None = None,
    give_form: GiveForm | None = None,
    status_code: int = 200,
) -> HttpResponse:
    status = consent.effective_status()
    # The printable form (which carries the name) and the link to the person only for those
    # who may see the person; the name also for the DPO, who keeps the register.
    person_visible = selectors.subject_visible(membership=membership, subject_id=consent.subject_id)
    name = selectors.subject_names(membership=membership, subject_ids=[consent.subject_id]).get(
        consent.subject_id, ""
    )
    may_withdraw = rules.may_withdraw(membership, consent)
    may_decide = rules.may_decide(membership, consent)
    may_renew = person_visible and rules.may_renew(membership, consent)
    if may_withdraw and withdraw_form is None:
        withdraw_form = WithdrawForm()
    if may_decide and give_form is None:
        give_form = GiveForm()
    print_languages = (
        [(code, TEXTS[code].name) for code in LANGUAGES]
        if person_visible and membership.can(Capability.RECORD_CONSENT)
        else []
    )
    confirmed = rules.confirmed_ids(consent)
    _viewed(request, membership, target=consent)
    return render(
        request,
        "consent/detail.html",
        {
            "consent": consent,
            "title": display.consent_title(consent, name),
            "name": name,
            "recorded_by": display.staff_label(consent.recorded_by, consent.recording_agency),
            "status": status,
            "status_label": ConsentDeclaration.Status(status).label,
            "categories": display.category_labels(list(consent.categories)),
            "recipients": list(consent.recipient_agencies.all()),
            "disclosing": [
                {"agency": agency, "confirmed": agency.pk in confirmed}
                for agency in consent.disclosing_agencies.all()
            ],
            "person_visible": person_visible,
            "form_language": TEXTS[consent.form_language].name
            if consent.form_language in TEXTS
            else consent.form_language,
            "renew_url": display.renewal_url(
                public_id=consent.subject.public_id, consent_id=consent.pk
            )
            if may_renew
            else "",
            "withdraw_form": withdraw_form if may_withdraw else None,
            "give_form": give_form if may_decide else None,
            "may_confirm": rules.may_confirm(membership, consent),
            "may_open_scan": _may_open_scan(membership, consent),
            "print_languages": print_languages,
            "summary": error_summary(*(f for f in (withdraw_form, give_form) if f is not None)),
        },
        status=status_code,
    )


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    membership = membership_with_any(request, *READ_CONSENTS)
    consent = _consent_or_404(request, membership, pk)
    return _detail_page(request, membership, consent)


def _done(
    request: HttpRequest, membership: Membership, consent: ConsentDeclaration, text: str
) -> HttpResponse:
    policy.forget(membership)
    messages.success(request, text % {"number": consent.pk})
    return redirect("consent:detail", pk=consent.pk)


@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    membership = membership_with(request, Capability.RECORD_CONSENT)
    consent = _consent_or_404(request, membership, pk)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.consent_withdraw(
                declaration=consent,
                reason=form.cleaned_data["reason"],
                membership=membership,
                actor=current_user(request),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return _done(
                request,
                membership,
                consent,
                _("Consent no. %(number)s has been withdrawn. It opens nothing any more."),
            )
    return _detail_page(request, membership, consent, withdraw_form=form)


@require_POST
def give(request: HttpRequest, pk: int) -> HttpResponse:
    """The family has signed a requested consent: it is given from now on."""
    membership = membership_with(request, Capability.RECORD_CONSENT)
    consent = _consent_or_404(request, membership, pk)
    form = GiveForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.consent_give(
                declaration=consent,
                signed_form=form.cleaned_data["signed_form"] or None,
                no_scan_reason=form.cleaned_data["no_scan_reason"],
                membership=membership,
                actor=current_user(request),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return _done(request, membership, consent, _("Consent no. %(number)s is now given."))
    return _detail_page(request, membership, consent, give_form=form)


def _decide(request: HttpRequest, pk: int, action: Any, text: str) -> HttpResponse:
    """A consent action without input (refuse, confirm): done, or the reason why not."""
    membership = membership_with(request, Capability.RECORD_CONSENT)
    consent = _consent_or_404(request, membership, pk)
    try:
        action(declaration=consent, membership=membership, actor=current_user(request))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("consent:detail", pk=consent.pk)
    return _done(request, membership, consent, text)


@require_POST
def refuse(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(
        request,
        pk,
        services.consent_refuse,
        _("Consent no. %(number)s is recorded as refused."),
    )


@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """A disclosing agency has seen the signed form and accepts the consent."""
    return _decide(
        request,
        pk,
        services.consent_confirm,
        _("Your agency has confirmed consent no. %(number)s: it now releases your data too."),
    )


@require_GET
def print_form(request: HttpRequest, pk: int, language: str) -> HttpResponse:
    """The signable form in German and the family's language, as a PDF download."""
    membership = membership_with(request, Capability.RECORD_CONSENT)
    if language not in LANGUAGES:
        raise Http404
    consent = _consent_or_404(request, membership, pk)
    if not selectors.subject_visible(membership=membership, subject_id=consent.subject_id):
        raise Http404  # the form carries the person's name
    from .pdf import consent_form_pdf  # WeasyPrint loads only when a form is printed

    pdf = consent_form_pdf(consent, language)
    _viewed(request, membership, target=consent, printed=language)
    return pdf_response(pdf, filename=f"consent-{consent.pk}-{language}.pdf")


@require_GET
def signed_form(request: HttpRequest, pk: int) -> FileResponse:
    """The scan of the signed form, as a download: for the agency that recorded the consent,
    the agencies that are to pass data on under it, and the DPO; for everyone else, and when
    there is no scan, it is missing (404)."""
    membership = membership_with_any(request, *OPEN_SIGNED_FORMS)
    consent = _consent_or_404(request, membership, pk)
    if not selectors.may_open_signed_form(membership=membership, consent=consent):
        _denied(request, membership, consent, consent=pk, signed_form=True)
        raise Http404
    if not consent.signed_form:
        raise Http404
    try:
        scan = consent.signed_form.storage.open(consent.signed_form.name, "rb")
    except OSError:
        raise Http404 from None  # recorded, but the file is gone: missing, as for no scan
    head = scan.read(16)
    scan.seek(0)
    # The type by the file's own first bytes (checked on upload), never by its stored name.
    content_type = services.signed_form_type(head) or "application/octet-stream"
    extension = SIGNED_FORM_EXTENSIONS.get(content_type, "bin")
    _viewed(request, membership, target=consent, downloaded="signed_form")
    # The file name says which consent it is, never whom: the uploaded name may carry names.
    response = FileResponse(
        scan,
        content_type=content_type,
        as_attachment=True,
        filename=f"consent-{consent.pk}-signed-form.{extension}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- legal bases ---------------------------------------------------------------------------------


@require_GET
def legal_bases(request: HttpRequest) -> HttpResponse:
    membership = membership_with_any(request, *READ_LEGAL_BASES)
    bases = list(selectors.legal_basis_list())
    return render(
        request,
        "consent/legal_bases.html",
        {
            "rows": [
                {"basis": basis, "categories": display.category_labels(list(basis.categories))}
                for basis in bases
            ],
            "may_edit": membership.can(Capability.MANAGE_LEGAL_BASES),
        },
    )


def _legal_basis_page(request: HttpRequest, basis: LegalBasis | None) -> HttpResponse:
    membership = membership_with(request, Capability.MANAGE_LEGAL_BASES)
    if request.method == "POST":
        form = LegalBasisForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = services.legal_basis_save(
                    basis=basis,
                    from_kind=data["from_kind"],
                    to_kind=data["to_kind"],
                    categories=list(data["categories"]),
                    citation=data["citation"],
                    note=data["note"],
                    is_active=data["is_active"],
                    membership=membership,
                    actor=current_user(request),
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(
                    request, _("The legal basis %(citation)s is saved.") % {"citation": saved}
                )
                return redirect("consent:legal_bases")
    elif basis is not None:
        form = LegalBasisForm(
            initial={
                "from_kind": basis.from_kind,
                "to_kind": basis.to_kind,
                "categories": list(basis.categories),
                "citation": basis.citation,
                "note": basis.note,
                "is_active": basis.is_active,
            }
        )
    else:
        form = LegalBasisForm()
    return render(
        request,
        "consent/legal_basis_form.html",
        {
            "basis": basis,
            "form": form,
            "categories": explained_choices(form["categories"], CATEGORY_HELP),
            "summary": error_summary(form),
        },
    )


@require_http_methods(["GET", "POST"])
def legal_basis_create(request: HttpRequest) -> HttpResponse:
    return _legal_basis_page(request, None)


@require_http_methods(["GET", "POST"])
def legal_basis_edit(request: HttpRequest, pk: int) -> HttpResponse:
    membership_with(request, Capability.MANAGE_LEGAL_BASES)
    return _legal_basis_page(request, selectors.legal_basis_get(basis_id=pk))


# --- emergency access ----------------------------------------------------------------------------


@require_GET
def break_glass_start(request: HttpRequest) -> HttpResponse:
    """Where emergency access starts (the start page's card): the team lead types the Lotse
    ID and goes on to that person's emergency page, which explains, asks for the reason and
    audits. Nothing is looked up here, so the answer is the same for every ID."""
    membership_with(request, Capability.BREAK_GLASS)
    form = BreakGlassStartForm(request.GET if "public_id" in request.GET else None)
    if form.is_valid():
        return redirect("consent:break_glass", public_id=form.cleaned_data["public_id"])
    return render(
        request,
        "consent/break_glass_start.html",
        {"form": form, "summary": error_summary(form)},
        status=400 if form.is_bound else 200,
    )


@require_http_methods(["GET", "POST"])
def break_glass(request: HttpRequest, public_id: str) -> HttpResponse:
    """A team lead opens one person's items for 24 hours, with a written reason.

    The person need not be visible yet — that is the point of an emergency — so the Lotse ID
    is resolved without the content policy. The page looks the same for an ID that exists and
    one that does not, and every request (opening the page too) is audited; the page names
    the person only if they are visible anyway.
    """
    membership = membership_with(request, Capability.BREAK_GLASS)
    requested = public_id.strip().upper()[:12]
    subject = selectors.subject_ref(requested)
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            glass = services.break_glass_open(
                public_id=requested,
                subject=subject,
                reason=form.cleaned_data["reason"],
                membership=membership,
                actor=current_user(request),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            policy.forget(membership)
            messages.success(
                request,
                _("Emergency access is open until %(time)s.")
                % {
                    "time": date_format(
                        timezone.localtime(glass.expires_at), "SHORT_DATETIME_FORMAT"
                    )
                },
            )
            return redirect("consent:break_glass", public_id=requested)
    person = None
    if subject is not None and selectors.subject_visible(
        membership=membership, subject_id=subject.pk
    ):
        person = selectors.subject_get(membership=membership, public_id=requested)
    active = selectors.break_glass_active(membership=membership, public_id=requested)
    record(
        action=AuditAction.BREAK_GLASS_VIEWED,
        actor=current_user(request),
        agency=membership.agency,
        subject_id=subject.pk if subject is not None else None,
        detail={"requested_id": requested},
    )
    return render(
        request,
        "consent/break_glass.html",
        {
            "public_id": requested,
            "person": person,
            "active": active,
            "form": form,
            "summary": error_summary(form),
        },
    )


def _review_rows(glasses: list[BreakGlass], membership: Membership) -> list[dict[str, Any]]:
    names = selectors.subject_names(
        membership=membership, subject_ids={glass.subject_id for glass in glasses}
    )
    return [
        {
            "glass": glass,
            "name": names.get(glass.subject_id, "") if glass.subject_id else "",
            "opened_by": display.staff_label(glass.user, glass.agency),
            "reviewed_by": display.staff_name(glass.reviewed_by),
        }
        for glass in glasses
    ]


def _review_viewed(
    request: HttpRequest,
    membership: Membership,
    *,
    subject_id: int | None = None,
    subjects: Any = (),
    **detail: Any,
) -> None:
    """The review pages show names and the trail of an access: a read of the audit trail."""
    record(
        action=AuditAction.AUDIT_VIEWED,
        actor=current_user(request),
        agency=membership.agency,
        subject_id=subject_id,
        subject_ids={pk for pk in subjects if pk is not None},
        detail=detail,
    )


def _save_review(
    request: HttpRequest, membership: Membership, glass: BreakGlass
) -> BreakGlassReviewForm | None:
    """The DPO's decision on one access; the form with its errors, or None once saved."""
    form = BreakGlassReviewForm(request.POST, prefix=f"review-{glass.pk}")
    if form.is_valid():
        try:
            services.break_glass_review(
                glass=glass,
                justified=form.cleaned_data["decision"] == BreakGlass.Review.JUSTIFIED,
                note=form.cleaned_data["note"],
                membership=membership,
                actor=current_user(request),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request, _("Emergency access no. %(number)s is reviewed.") % {"number": glass.pk}
            )
            return None
    return form


@require_http_methods(["GET", "POST"])
def break_glass_review(request: HttpRequest) -> HttpResponse:
    """The DPO's queue of emergency accesses: whose, by whom, why, how many reads — each
    links to its review page, which lists every read made under it."""
    membership = membership_with(request, Capability.REVIEW_BREAK_GLASS)
    if request.method == "POST":
        # Reviews are saved on each access's page; a decision sent here is taken the same way.
        try:
            glass_id = int(request.POST.get("glass", ""))
        except ValueError:
            raise Http404 from None
        glass = selectors.break_glass_get(membership=membership, glass_id=glass_id)
        form = _save_review(request, membership, glass)
        if form is None:
            return redirect("consent:break_glass_review")
        return _glass_page(request, membership, glass, form)
    queue = selectors.break_glass_queue(membership=membership)
    paging = Paging.of(request, total=queue.count(), per_page=REVIEW_PAGE)
    page = list(queue[paging.offset : paging.end])
    _review_viewed(
        request,
        membership,
        subjects=[glass.subject_id for glass in page],
        section="emergency_review",
        shown=[glass.pk for glass in page],
        count=paging.total,
    )
    return render(
        request,
        "consent/break_glass_review.html",
        {
            "rows": _review_rows(page, membership),
            "paging": paging,
            "pending": queue.filter(review=BreakGlass.Review.PENDING).count(),
            "now": timezone.now(),
        },
    )


READS_PAGE = 50


def _glass_page(
    request: HttpRequest,
    membership: Membership,
    glass: BreakGlass,
    form: BreakGlassReviewForm | None = None,
) -> HttpResponse:
    from . import trail

    reads = selectors.break_glass_reads(glass=glass)
    paging = Paging.of(request, total=reads.count(), per_page=READS_PAGE)
    events = list(reads[paging.offset : paging.end])
    rows = trail.event_rows(events, membership=membership)
    _review_viewed(
        request,
        membership,
        subject_id=glass.subject_id,
        section="emergency_access",
        emergency_access=glass.pk,
        count=paging.total,
    )
    if form is None and glass.review == BreakGlass.Review.PENDING:
        form = BreakGlassReviewForm(prefix=f"review-{glass.pk}")
    return render(
        request,
        "consent/break_glass_detail.html",
        {
            "row": _review_rows([glass], membership)[0],
            "glass": glass,
            "reads": rows,
            "paging": paging,
            "form": form,
            "summary": error_summary(form) if form is not None and form.is_bound else [],
            "now": timezone.now(),
        },
    )


@require_http_methods(["GET", "POST"])
def break_glass_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One emergency access for the DPO: whose, by whom, why — every read and change its
    user made of the person while it was open — and the decision whether it was justified."""
    membership = membership_with(request, Capability.REVIEW_BREAK_GLASS)
    glass = selectors.break_glass_get(membership=membership, glass_id=pk)
    form = None
    if request.method == "POST":
        form = _save_review(request, membership, glass)
        if form is None:
            return redirect("consent:break_glass_review")
    return _glass_page(request, membership, glass, form)
