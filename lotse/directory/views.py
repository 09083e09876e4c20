"""Staff pages of the directory under ``/directory/``.

- the internal directory (``list``, ``offer``): every current offer, public or not, read-only,
  for caseworkers (who refer families to offers) and for those who maintain offers;
- offer maintenance for agency admins (``MANAGE_OFFERS``) of the providers linked to their
  agency, and for system admins of every provider: offers, the six-monthly "data still
  correct", pausing referrals, locations, proposing a provider;
- the approval of proposed providers for system admins (``ADMINISTER_SYSTEM``).

Thin: a capability first (404 like a missing page), forms parse, ``services`` decide and write.
A provider, offer or location outside the member's reach answers 404, as if it did not exist.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lotse.accounts.access import current_user, membership_with
from lotse.accounts.models import Agency, Membership
from lotse.accounts.roles import Capability
from lotse.core.forms import RowTexts, apply_service_errors, error_summary, suppress_errors
from lotse.core.models import StaleEditError
from lotse.core.paging import Paging
from lotse.people.choices import ResidenceKind

from . import services
from .conflicts import ConflictRow, changed_labels, conflict_rows, rebased
from .forms import (
    LocationForm,
    OfferEndForm,
    OfferForm,
    OfferSearchForm,
    PauseForm,
    ProviderDecisionForm,
    ProviderForm,
    ProviderProposeForm,
    ScheduleForm,
    VersionForm,
    schedule_formset,
    with_added_schedule,
)
from .models import CHECK_INTERVAL, Location, Offer, Provider
from .public_views import (
    offer_card,
    offer_cards,
    offers_page,
    public_languages,
    query_without_page,
    search_offers,
)
from .selectors import current_offer_q, with_offer_details

LIST_PAGE = 25
PROVIDERS_PAGE = 20
#: How the error summary names a row of the times.
SCHEDULE_ROWS = RowTexts(
    field=gettext_lazy("Time %(row)s, %(field)s: %(message)s"),
    plain=gettext_lazy("Time %(row)s: %(message)s"),
)

#: Who reads the internal directory: caseworkers refer families to offers; admins keep them.
READERS = (Capability.READ_CASE_CONTENT, Capability.MANAGE_OFFERS, Capability.ADMINISTER_SYSTEM)


def _reader(request: HttpRequest) -> Membership:
    membership: Membership | None = getattr(request, "membership", None)
    if membership is None or not any(membership.can(c) for c in READERS):
        raise Http404
    return membership


def manageable_providers(membership: Membership) -> QuerySet[Provider]:
    """The providers whose data and offers the member keeps (``services.may_manage``)."""
    if services.may_administer(membership):
        return Provider.objects.all()
    if membership.can(Capability.MANAGE_OFFERS):
        return Provider.objects.filter(agency_id=membership.agency_id)
    return Provider.objects.none()


def _managed_offer(membership: Membership, pk: int) -> Offer:
    offers = with_offer_details(Offer.objects.filter(provider__in=manageable_providers(membership)))
    return get_object_or_404(offers, pk=pk)


def _managed_provider(membership: Membership, pk: int) -> Provider:
    return get_object_or_404(manageable_providers(membership), pk=pk)


def _managed_location(membership: Membership, pk: int) -> Location:
    locations = Location.objects.filter(provider__in=manageable_providers(membership))
    return get_object_or_404(locations.select_related("provider"), pk=pk)


# --- the internal directory -----------------------------------------------------------------


@require_GET
def offer_list(request: HttpRequest) -> HttpResponse:
    membership = _reader(request)
    form = OfferSearchForm(request.GET or None, languages=public_languages())
    filters = form.filters()
    offers = search_offers(filters, public_only=False)
    paging, page = offers_page(request, offers, per_page=LIST_PAGE)
    rows = [
        (card, services.may_manage(membership, card.offer.provider)) for card in offer_cards(page)
    ]
    return render(
        request,
        "directory/offer_list.html",
        {
            "form": form,
            "rows": rows,
            "paging": paging,
            "query": query_without_page(request),
            "filtered": filters.any,
            "may_manage": membership.can(Capability.MANAGE_OFFERS),
        },
    )


@require_GET
def offer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _reader(request)
    visible = Q(current_offer_q()) | Q(provider__in=manageable_providers(membership))
    offer = get_object_or_404(with_offer_details(Offer.objects.filter(visible)), pk=pk)
    return render(
        request,
        "directory/offer_detail.html",
        {
            "card": offer_card(offer),
            "may_manage": services.may_manage(membership, offer.provider),
            "residence_kinds": [
                str(ResidenceKind(code).label)
                for code in offer.residence_kinds
                if code in ResidenceKind.values
            ],
        },
    )


# --- maintenance ------------------------------------------------------------------------------


@dataclass
class ProviderBlock:
    provider: Provider
    offers: list[Offer]
    locations: list[Location]
    due: int


@require_GET
def manage(request: HttpRequest) -> HttpResponse:
    membership = membership_with(request, Capability.MANAGE_OFFERS)
    providers = manageable_providers(membership).order_by("name", "pk")
    paging = Paging.of(request, total=providers.count(), per_page=PROVIDERS_PAGE)
    page = providers.prefetch_related(
        Prefetch("offers", queryset=Offer.objects.order_by("name", "pk")),
        Prefetch("locations", queryset=Location.objects.order_by("name", "pk")),
    )[paging.offset : paging.end]
    blocks = []
    for provider in page:
        offers = list(provider.offers.all())
        blocks.append(
            ProviderBlock(
                provider=provider,
                offers=offers,
                locations=list(provider.locations.all()),
                due=sum(1 for offer in offers if offer.check_due()),
            )
        )
    return render(
        request,
        "directory/manage.html",
        {
            "blocks": blocks,
            "paging": paging,
            "query": "",
            "is_system_admin": services.may_administer(membership),
        },
    )


def _offer_conflict_rows(form: OfferForm, stale: StaleEditError) -> list[ConflictRow]:
    """What someone else changed on the offer: the check date and the documents (one per
    line in the form) in their own words, everything else as the form shows it."""

    def checked_on(current: Offer, mine: Mapping[str, Any]) -> ConflictRow:
        return {
            "field": _("Data checked on"),
            "current": current.checked_on.strftime("%d.%m.%Y") if current.checked_on else "—",
            "yours": _("today, with your save"),
        }

    def required_documents(current: Offer, mine: Mapping[str, Any]) -> ConflictRow:
        typed = [line.strip() for line in str(mine.get("required_documents") or "").splitlines()]
        return {
            "field": str(form.fields["required_documents"].label),
            "current": "; ".join(current.required_documents) or "—",
            "yours": "; ".join(line for line in typed if line) or "—",
        }

    return conflict_rows(
        form,
        stale,
        special={
            "checked_on": checked_on,
            "checked_by": lambda current, mine: None,
            "required_documents": required_documents,
        },
    )


def _offer_form_page(
    request: HttpRequest, membership: Membership, provider: Provider, offer: Offer | None
) -> HttpResponse:
    locations = list(provider.locations.order_by("name", "pk"))
    known = [row.code for row in offer.languages.all()] if offer is not None else []
    schedules_initial = (
        [ScheduleForm.initial_for(s) for s in offer.schedules.all()] if offer is not None else []
    )
    form_kwargs: dict[str, Any] = {
        "locations": locations,
        "known_languages": known,
        "initial": OfferForm.initial_for(offer),
    }
    conflict: list[dict[str, str]] = []
    status = 200
    if request.method != "POST":
        form = OfferForm(**form_kwargs)
        formset = schedule_formset(locations=locations, initial=schedules_initial)
    elif "add_time" in request.POST:
        data = with_added_schedule(request.POST)
        form = OfferForm(data, **form_kwargs)
        formset = schedule_formset(data, locations=locations, initial=schedules_initial)
        suppress_errors(form, formset=formset)
        formset.forms[-1].fields["freq"].widget.attrs["autofocus"] = True
    else:
        form = OfferForm(request.POST, **form_kwargs)
        formset = schedule_formset(request.POST, locations=locations, initial=schedules_initial)
        if offer is not None and form.is_valid() and not form.cleaned_data.get("version"):
            form.add_error(None, _("The form is incomplete. Reload the page and try again."))
        if form.is_valid() and formset.is_valid():
            data = form.data_for_service(formset.schedules())
            version = form.cleaned_data.get("version")
            try:
                if offer is None:
                    saved = services.offer_create(
                        provider=provider,
                        data=data,
                        membership=membership,
                        actor=current_user(request),
                    )
                else:
                    saved = services.offer_update(
                        offer=offer,
                        data=data,
                        expected_version=int(version or 0),
                        membership=membership,
                        actor=current_user(request),
                    )
            except StaleEditError as stale:
                conflict = _offer_conflict_rows(form, stale)
                # Re-based on the current version: saving again overwrites knowingly.
                form = OfferForm(rebased(request.POST, stale), **form_kwargs)
                form.is_valid()
                status = 409
            except ValidationError as error:
                apply_service_errors(form, error)
                status = 400
            else:
                messages.success(
                    request,
                    _("The offer has been saved and its data marked as checked today.")
                    if offer is not None
                    else _("The offer has been created."),
                )
                return redirect("directory:offer", pk=saved.pk)
        else:
            status = 400
    return render(
        request,
        "directory/offer_form.html",
        {
            "provider": provider,
            "offer": offer,
            "form": form,
            "formset": formset,
            "conflict": conflict,
            "summary": error_summary(form, formset=formset, rows=SCHEDULE_ROWS),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def offer_create(request: HttpRequest, pk: int) -> HttpResponse:
    membership = membership_with(request, Capability.MANAGE_OFFERS)
    provider = _managed_provider(membership, pk)
    return _offer_form_page(request, membership, provider, None)


@require_http_methods(["GET", "POST"])
def offer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    membership = membership_with(request, Capability.MANAGE_OFFERS)
    offer = _managed_offer(membership, pk)
    return _offer_form_page(request, membership, offer.provider, offer)


def _back(request: HttpRequest, offer: Offer) -> HttpResponse:
    if request.POST.get("back") == "manage":
        return redirect("directory:manage")
    return redirect("directory:offer", pk=offer.pk)


def _stale_message(request: HttpRequest, stale: StaleEditError) -> None:
    messages.error(
        request,
        _(
            "Someone else changed this offer in the meantime (%(fields)s). Nothing was "
            "saved: check the offer and try again."
        )
        % {"fields": changed_labels(Offer, stale)},
    )


@require_POST
def offer_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    membership = membership_with(request, Capability.MANAGE_OFFERS)
    offer = _managed_offer(membership, pk)
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The form is incomplete. Reload the page and try again."))
        return _back(request, offer)
    try:
        services.offer_confirm_checked(
            offer=offer,
            expected_version=form.cleaned_data["version"],
            membership=membership,
            actor=current_user(request),
        )
    except StaleEditError as stale:
        _stale_message(request, stale)
    else:
        messages.success(
            request,
            _("Thank you: %(offer)s is marked as checked today.") % {"offer": offer.name},
        )
    return _back(request, offer)


@require_POST
def offer_referrals(request: HttpRequest, pk: int) -> HttpResponse:
    membership = membership_with(request, Capability.MANAGE_OFFERS)
    offer = _managed_offer(membership, pk)
    form = PauseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The form is incomplete. Reload the page and try again."))
        return _back(request, offer)
    paused = bool(form.cleaned_data["paused"])
    try:
        services.offer_set_referrals_paused(
            offer=offer,
            paused=paused,
            expected_version=form.cleaned_data["version"],
            membership=membership,
            actor=current_user(request),
        )
    except StaleEditError as stale:
        _stale_message(request, stale)
    else:
        messages.success(
            request,
            (
                _("Referrals to %(offer)s are paused.")
                if paused
                else _("%(offer)s accepts referrals again.")
            )
            % {"offer": offer.name},
        )
    return _back(request, offer)


def _offer_end_page(request: HttpRequest, membership: Membership, offer: Offer) -> HttpResponse:
    form = OfferEndForm(
        request.POST if request.method == "POST" else None,
        initial={"version": offer.version, "when": OfferEndForm.NOW},
    )
    stale_fields = ""
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.offer_end(
                    offer=offer,
                    last_day=form.chosen_last_day(),
                    expected_version=form.cleaned_data["version"],
                    membership=membership,
                    actor=current_user(request),
                )
            except StaleEditError as stale:
                stale_fields = changed_labels(Offer, stale)
                # Shown as it is now; sending again ends it knowingly.
                offer = _managed_offer(membership, offer.pk)
                form = OfferEndForm(rebased(request.POST, stale))
                form.is_valid()
                status = 409
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                if offer.has_ended():
                    text = _("%(offer)s has ended. It is kept, and you can reopen it.")
                else:
                    text = _("%(offer)s ends after %(date)s.")
                messages.success(
                    request,
                    text
                    % {
                        "offer": offer.name,
                        "date": offer.valid_until.strftime("%d.%m.%Y") if offer.valid_until else "",
                    },
                )
                return _back(request, offer)
    return render(
        request,
        "directory/offer_end.html",
        {
            "offer": offer,
            "form": form,
            "summary": error_summary(form),
            "stale_fields": stale_fields,
            "back": request.POST.get("back") or request.GET.get("back") or "offer",
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def offer_end(request: HttpRequest, pk: int) -> HttpResponse:
    """ "End the offer": asks first (GET), ends it on POST — never deletes it."""
    membership = membership_with(request, Capability.MANAGE_OFFERS)
    offer = _managed_offer(membership, pk)
    return _offer_end_page(request, membership, offer)


@require_POST
def offer_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    membership = membership_with(request, Capability.MANAGE_OFFERS)
    offer = _managed_offer(membership, pk)
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The form is incomplete. Reload the page and try again."))
        return _back(request, offer)
    try:
        services.offer_reopen(
            offer=offer,
            expected_version=form.cleaned_data["version"],
            membership=membership,
            actor=current_user(request),
        )
    except StaleEditError as stale:
        _stale_message(request, stale)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("%(offer)s runs again, with no end date.") % {"offer": offer.name}
        )
    return _back(request, offer)


# --- locations and providers -----------------------------------------------------------------


def _location_page(
    request: HttpRequest, membership: Membership, provider: Provider, location: Location | None
) -> HttpResponse:
    initial = LocationForm.initial_for(location) if location is not None else None
    form = LocationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.location_save(
                provider=provider,
                membership=membership,
                actor=current_user(request),
                location=location,
                **form.values(),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The location has been saved."))
            return redirect("directory:manage")
    return render(
        request,
        "directory/location_form.html",
        {
            "provider": provider,
            "location": location,
            "form": form,
            "summary": error_summary(form),
        },
        status=400 if form.is_bound else 200,
    )


@require_http_methods(["GET", "POST"])
def location_create(request: HttpRequest, pk: int) -> HttpResponse:
    membership = membership_with(request, Capability.MANAGE_OFFERS)
    provider = _managed_provider(membership, pk)
    return _location_page(request, membership, provider, None)


@require_http_methods(["GET", "POST"])
def location_edit(request: HttpRequest, pk: int) -> HttpResponse:
    membership = membership_with(request, Capability.MANAGE_OFFERS)
    location = _managed_location(membership, pk)
    return _location_page(request, membership, location.provider, location)


@require_http_methods(["GET", "POST"])
def location_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Asks first (GET); deletes on POST — only a location no offer names, ended offers
    included, else the page names the offers that still use it."""
    membership = membership_with(request, Capability.MANAGE_OFFERS)
    location = _managed_location(membership, pk)
    status = 200
    if request.method == "POST":
        try:
            services.location_delete(
                location=location, membership=membership, actor=current_user(request)
            )
        except services.LocationInUseError as in_use:
            offers = in_use.offers
            status = 400
        else:
            messages.success(
                request, _("The location %(location)s is deleted.") % {"location": location.name}
            )
            return redirect("directory:manage")
    else:
        offers = services.offers_at_location(location)
    return render(
        request,
        "directory/location_delete.html",
        {"location": location, "offers": offers, "refused": status == 400},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def provider_propose(request: HttpRequest) -> HttpResponse:
    membership = membership_with(request, Capability.MANAGE_OFFERS)
    administers = services.may_administer(membership)
    agencies = (
        [(a.code, a.name) for a in Agency.objects.filter(is_active=True).order_by("name")]
        if administers
        else None
    )
    form = ProviderProposeForm(request.POST or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        code = data.get("agency") or ""
        agency = Agency.objects.filter(code=code).first() if code else None
        try:
            provider = services.provider_propose(
                name=data["name"],
                description=data["description"],
                email=data["email"],
                website=data["website"],
                phone=data["phone"],
                agency=agency,
                membership=membership,
                actor=current_user(request),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if provider.status == Provider.Status.APPROVED:
                messages.success(request, _("The provider has been added and approved."))
            else:
                messages.success(
                    request,
                    _(
                        "The provider has been proposed. A system administrator checks it; "
                        "its offers become public once it is approved."
                    ),
                )
            return redirect("directory:manage")
    return render(
        request,
        "directory/provider_form.html",
        {"form": form, "summary": error_summary(form)},
        status=400 if form.is_bound else 200,
    )


@require_http_methods(["GET", "POST"])
def provider_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """A provider's public data (HSDS organization), for those who keep it — a proposed
    provider too, by its proposer's agency."""
    membership = membership_with(request, Capability.MANAGE_OFFERS)
    provider = _managed_provider(membership, pk)
    initial = ProviderForm.initial_for(provider)
    form = ProviderForm(request.POST if request.method == "POST" else None, initial=initial)
    conflict: list[ConflictRow] = []
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.provider_update(
                    provider=provider,
                    data=form.data_for_service(),
                    expected_version=form.cleaned_data["version"],
                    membership=membership,
                    actor=current_user(request),
                )
            except StaleEditError as stale:
                conflict = conflict_rows(form, stale)
                # Re-based on the current version: saving again overwrites knowingly.
                form = ProviderForm(rebased(request.POST, stale), initial=initial)
                form.is_valid()
                status = 409
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The provider's data has been saved."))
                return redirect("directory:manage")
    return render(
        request,
        "directory/provider_edit.html",
        {
            "provider": provider,
            "form": form,
            "conflict": conflict,
            "summary": error_summary(form),
        },
        status=status,
    )


def _proposals_page(
    request: HttpRequest, failed: tuple[int, ProviderDecisionForm] | None = None
) -> HttpResponse:
    proposed = list(
        Provider.objects.filter(status=Provider.Status.PROPOSED)
        .select_related("agency", "proposed_by")
        .order_by("created_at", "pk")
    )
    decided = list(
        Provider.objects.exclude(status=Provider.Status.PROPOSED)
        .filter(decided_at__isnull=False)
        .select_related("agency", "decided_by")
        .order_by("-decided_at", "-pk")[:20]
    )
    forms: dict[int, ProviderDecisionForm] = {
        p.pk: ProviderDecisionForm(initial={"version": p.version}, prefix=f"p{p.pk}")
        for p in proposed
    }
    if failed is not None:
        forms[failed[0]] = failed[1]
    rows = [(p, forms[p.pk]) for p in proposed]
    summary = error_summary(failed[1]) if failed is not None else []
    return render(
        request,
        "directory/proposals.html",
        {"rows": rows, "decided": decided, "summary": summary},
        status=400 if failed is not None else 200,
    )


@require_GET
def proposals(request: HttpRequest) -> HttpResponse:
    membership_with(request, Capability.ADMINISTER_SYSTEM)
    return _proposals_page(request)


@require_POST
def provider_decide(request: HttpRequest, pk: int) -> HttpResponse:
    membership = membership_with(request, Capability.ADMINISTER_SYSTEM)
    provider = get_object_or_404(Provider, pk=pk, status=Provider.Status.PROPOSED)
    form = ProviderDecisionForm(request.POST, prefix=f"p{provider.pk}")
    if form.is_valid():
        data = form.cleaned_data
        approve = data["decision"] == "approve"
        try:
            services.provider_decide(
                provider=provider,
                approve=approve,
                note=data.get("note") or "",
                expected_version=data["version"],
                membership=membership,
                actor=current_user(request),
            )
        except StaleEditError:
            messages.error(
                request,
                _("Someone else changed this provider in the meantime. Nothing was saved."),
            )
            return redirect("directory:proposals")
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                (
                    _("%(provider)s is approved.")
                    if approve
                    else _("%(provider)s is rejected; the proposing agency sees your note.")
                )
                % {"provider": provider.name},
            )
            return redirect("directory:proposals")
    return _proposals_page(request, failed=(provider.pk, form))


# --- the start page ---------------------------------------------------------------------------


def start_offers(*, request: HttpRequest, membership: Membership) -> SafeString | None:
    """For those who keep offers: how many need their six-monthly check, and proposed
    providers waiting for a system admin's decision."""
    if not (membership.can(Capability.MANAGE_OFFERS) or services.may_administer(membership)):
        return None
    today = timezone.localdate()
    due_before = today - CHECK_INTERVAL
    offers = (
        Offer.objects.filter(provider__in=manageable_providers(membership))
        .exclude(status=Offer.Status.DEFUNCT)
        .exclude(valid_until__lt=today)
    )
    due = offers.filter(Q(checked_on__isnull=True) | Q(checked_on__lt=due_before)).count()
    proposed = (
        Provider.objects.filter(status=Provider.Status.PROPOSED).count()
        if services.may_administer(membership)
        else 0
    )
    return SafeString(
        render_to_string(
            "directory/_start_offers.html",
            {"due": due, "proposed": proposed},
            request=request,
        )
    )
