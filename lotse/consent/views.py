"""Pages of the access core: consents, the legal-basis register, emergency access.

Thin: capability first (404 like a missing page), forms → services for writes, selectors for
reads. What a page shows is exactly what the selectors' scopes allow; reads of consents are
audited here, writes by the services. The DPO's pages name persons by their Lotse ID only.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lotse.accounts.access import current_user, membership_with
from lotse.accounts.models import Membership
from lotse.accounts.roles import Capability
from lotse.audit.models import AuditAction
from lotse.audit.services import record

from . import policy, selectors, services
from .categories import DataCategory
from .dpo import dpo_contact
from .form import LANGUAGES, TEXTS
from .forms import (
    BreakGlassForm,
    BreakGlassReviewForm,
    ConsentFilterForm,
    ConsentForm,
    LegalBasisForm,
    Paging,
    WithdrawForm,
    apply_service_errors,
    chose_foreigners_authority,
    error_summary,
    explained_choices,
    foreigners_authority_rules,
)
from .models import BreakGlass, ConsentDeclaration, LegalBasis

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


def _category_labels(codes: list[str]) -> list[str]:
    labels = dict(DataCategory.choices)
    return [str(labels.get(code, code)) for code in codes]


def _viewed(
    request: HttpRequest,
    membership: Membership,
    *,
    target: Any = None,
    subject_id: int | None = None,
    **detail: Any,
) -> None:
    """Audit a read of consents: counts and ids, never names."""
    record(
        action=AuditAction.CONSENT_VIEWED,
        actor=current_user(request),
        agency=membership.agency,
        target=target,
        subject_id=subject_id,
        detail=detail or None,
    )


# --- recording a consent -------------------------------------------------------------------------


def _consent_data(form: ConsentForm) -> services.ConsentData:
    data = form.cleaned_data
    return services.ConsentData(
        recipient_agencies=list(data["recipient_agencies"]),
        disclosing_agencies=list(data["disclosing_agencies"]),
        categories=list(data["categories"]),
        purpose=data["purpose"],
        purpose_text=data["purpose_text"],
        given_by=data["given_by"],
        guardian_name=data["guardian_name"],
        includes_entrusted=data["includes_entrusted"],
        valid_from=data["valid_from"],
        valid_until=data["valid_until"],
        form_version=data["form_version"],
        form_language=data["form_language"],
        status=data["status"],
    )


@require_http_methods(["GET", "POST"])
def record_consent(request: HttpRequest, public_id: str) -> HttpResponse:
    membership = membership_with(request, Capability.RECORD_CONSENT)
    person = selectors.subject_get(membership=membership, public_id=public_id)
    if request.method == "POST":
        form = ConsentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                declaration = services.consent_record(
                    subject=person,
                    data=_consent_data(form),
                    membership=membership,
                    actor=current_user(request),
                    signed_form=form.cleaned_data["signed_form"] or None,
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                policy.forget(membership)
                messages.success(
                    request,
                    _("Consent no. %(number)s has been recorded.") % {"number": declaration.pk},
                )
                return redirect("consent:detail", pk=declaration.pk)
        chosen = request.POST
    else:
        form = ConsentForm()
        # htmx asks again when recipients are ticked: the firewall note follows the choice.
        chosen = request.GET
    return render(
        request,
        "consent/record.html",
        {
            "person": person,
            "form": form,
            "categories": explained_choices(form["categories"]),
            "firewall_rules": foreigners_authority_rules(),
            "foreigners_authority_chosen": chose_foreigners_authority(chosen),
            "summary": error_summary(form),
            "dpo": dpo_contact(),
        },
    )


# --- registers ---------------------------------------------------------------------------------


def _may_open_scan(membership: Membership, consent: ConsentDeclaration) -> bool:
    return bool(consent.signed_form) and selectors.may_open_signed_form(
        membership=membership, consent=consent
    )


def _register_rows(
    consents: list[ConsentDeclaration], membership: Membership
) -> list[dict[str, Any]]:
    today = timezone.localdate()
    return [
        {
            "consent": consent,
            "status": consent.effective_status(today),
            "status_label": ConsentDeclaration.Status(consent.effective_status(today)).label,
            "categories": _category_labels(list(consent.categories)),
            "may_open_scan": _may_open_scan(membership, consent),
        }
        for consent in consents
    ]


@require_GET
def person_register(request: HttpRequest, public_id: str) -> HttpResponse:
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
        subject_id=person.pk,
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
            "may_record": membership.can(Capability.RECORD_CONSENT),
            "may_break_glass": membership.can(Capability.BREAK_GLASS),
        },
    )


@require_GET
def register(request: HttpRequest) -> HttpResponse:
    """The DPO's register of every consent: Lotse IDs only, never names."""
    membership = membership_with(request, Capability.VIEW_CONSENT_REGISTER)
    form = ConsentFilterForm(request.GET or None)
    filters = selectors.ConsentFilter()
    valid = form.is_valid() if form.is_bound else True
    if valid and form.is_bound:
        data = form.cleaned_data
        subject_id = None
        if data["person"].strip():
            subject_id = selectors.subject_id_for(data["person"])
            if subject_id is None:
                form.add_error("person", _("No person with this Lotse ID."))
                valid = False
        agency = data.get("agency")
        filters = selectors.ConsentFilter(
            subject_id=subject_id,
            status=data["status"],
            agency_id=agency.pk if agency else None,
            since=data["since"],
            until=data["until"],
        )
    consents = (
        selectors.consent_list(membership=membership, filters=filters)
        if valid
        else ConsentDeclaration.objects.none()
    )
    paging = Paging.of(request, total=consents.count(), per_page=REGISTER_PAGE)
    page = list(consents[paging.offset : paging.end])
    _viewed(
        request,
        membership,
        subject_id=filters.subject_id,
        count=paging.total,
        shown=[consent.pk for consent in page],
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "consent/register.html",
        {
            "form": form,
            "rows": _register_rows(page, membership),
            "paging": paging,
            "query": query.urlencode(),
            "summary": error_summary(form),
        },
    )


# --- one consent -------------------------------------------------------------------------------


def _consent_or_404(request: HttpRequest, membership: Membership, pk: int) -> ConsentDeclaration:
    try:
        return selectors.consent_get(membership=membership, consent_id=pk)
    except Http404:
        # Forbidden or missing: the caller learns nothing, the audit keeps the attempt.
        record(
            action=AuditAction.ACCESS_DENIED,
            actor=current_user(request),
            agency=membership.agency,
            detail={"consent": pk},
        )
        raise


def _detail_page(
    request: HttpRequest,
    membership: Membership,
    consent: ConsentDeclaration,
    *,
    withdraw_form: WithdrawForm | None = None,
) -> HttpResponse:
    status = consent.effective_status()
    # Names and the printable form (which carries the name) only for those who may see the
    # person anyway; the DPO reads the register by Lotse ID.
    person_visible = selectors.subject_visible(membership=membership, subject_id=consent.subject_id)
    may_withdraw = (
        membership.can(Capability.RECORD_CONSENT) and status == ConsentDeclaration.Status.GIVEN
    )
    if may_withdraw and withdraw_form is None:
        withdraw_form = WithdrawForm()
    print_languages = (
        [(code, TEXTS[code].name) for code in LANGUAGES]
        if person_visible and membership.can(Capability.RECORD_CONSENT)
        else []
    )
    _viewed(request, membership, target=consent, subject_id=consent.subject_id)
    return render(
        request,
        "consent/detail.html",
        {
            "consent": consent,
            "status": status,
            "status_label": ConsentDeclaration.Status(status).label,
            "categories": _category_labels(list(consent.categories)),
            "recipients": list(consent.recipient_agencies.all()),
            "disclosing": list(consent.disclosing_agencies.all()),
            "person_visible": person_visible,
            "form_language": TEXTS[consent.form_language].name
            if consent.form_language in TEXTS
            else consent.form_language,
            "withdraw_form": withdraw_form if may_withdraw else None,
            "may_open_scan": _may_open_scan(membership, consent),
            "print_languages": print_languages,
            "summary": error_summary(withdraw_form) if withdraw_form is not None else [],
        },
    )


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    membership = membership_with_any(request, *READ_CONSENTS)
    consent = _consent_or_404(request, membership, pk)
    return _detail_page(request, membership, consent)


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
            policy.forget(membership)
            messages.success(
                request,
                _("Consent no. %(number)s has been withdrawn. It opens nothing any more.")
                % {"number": consent.pk},
            )
            return redirect("consent:detail", pk=consent.pk)
    return _detail_page(request, membership, consent, withdraw_form=form)


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
    _viewed(request, membership, target=consent, subject_id=consent.subject_id, printed=language)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="consent-{consent.pk}-{language}.pdf"'
    return response


@require_GET
def signed_form(request: HttpRequest, pk: int) -> FileResponse:
    """The scan of the signed form, as a download: for the agency that recorded the consent
    and for the DPO; for everyone else, and when there is no scan, it is missing (404)."""
    membership = membership_with_any(request, *OPEN_SIGNED_FORMS)
    consent = _consent_or_404(request, membership, pk)
    if not selectors.may_open_signed_form(membership=membership, consent=consent):
        record(
            action=AuditAction.ACCESS_DENIED,
            actor=current_user(request),
            agency=membership.agency,
            detail={"consent": pk, "signed_form": True},
        )
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
    _viewed(
        request,
        membership,
        target=consent,
        subject_id=consent.subject_id,
        downloaded="signed_form",
    )
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
                {"basis": basis, "categories": _category_labels(list(basis.categories))}
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
            "categories": explained_choices(form["categories"]),
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


@require_http_methods(["GET", "POST"])
def break_glass(request: HttpRequest, public_id: str) -> HttpResponse:
    """A team lead opens one person's items for 24 hours, with a written reason.

    The person need not be visible yet — that is the point of an emergency — so the Lotse ID
    is resolved without the content policy; the page names the person only if they are
    visible anyway.
    """
    membership = membership_with(request, Capability.BREAK_GLASS)
    subject = selectors.subject_ref(public_id)
    if subject is None:
        raise Http404
    subject_id: int = subject.pk
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            glass = services.break_glass_open(
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
            return redirect("consent:break_glass", public_id=public_id.strip().upper())
    person = None
    if selectors.subject_visible(membership=membership, subject_id=subject_id):
        person = selectors.subject_get(membership=membership, public_id=public_id)
    return render(
        request,
        "consent/break_glass.html",
        {
            "public_id": public_id.strip().upper(),
            "person": person,
            "active": selectors.break_glass_active(membership=membership, subject_id=subject_id),
            "form": form,
            "summary": error_summary(form),
        },
    )


def _review_rows(
    glasses: list[BreakGlass], bound: tuple[int, BreakGlassReviewForm] | None
) -> list[dict[str, Any]]:
    rows = []
    for glass in glasses:
        form = None
        if glass.review == BreakGlass.Review.PENDING:
            if bound is not None and bound[0] == glass.pk:
                form = bound[1]
            else:
                form = BreakGlassReviewForm(prefix=f"review-{glass.pk}")
        rows.append({"glass": glass, "form": form})
    return rows


@require_http_methods(["GET", "POST"])
def break_glass_review(request: HttpRequest) -> HttpResponse:
    """The DPO's queue of emergency accesses: reason, who, when — and a decision on each."""
    membership = membership_with(request, Capability.REVIEW_BREAK_GLASS)
    bound: tuple[int, BreakGlassReviewForm] | None = None
    if request.method == "POST":
        try:
            glass_id = int(request.POST.get("glass", ""))
        except ValueError:
            raise Http404 from None
        glass = selectors.break_glass_get(membership=membership, glass_id=glass_id)
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
                    request,
                    _("Emergency access no. %(number)s is reviewed.") % {"number": glass.pk},
                )
                return redirect("consent:break_glass_review")
        bound = (glass.pk, form)
    queue = selectors.break_glass_queue(membership=membership)
    paging = Paging.of(request, total=queue.count(), per_page=REVIEW_PAGE)
    page = list(queue[paging.offset : paging.end])
    return render(
        request,
        "consent/break_glass_review.html",
        {
            "rows": _review_rows(page, bound),
            "paging": paging,
            "pending": queue.filter(review=BreakGlass.Review.PENDING).count(),
            "summary": error_summary(bound[1]) if bound is not None else [],
            "now": timezone.now(),
        },
    )
