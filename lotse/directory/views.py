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

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, ValidationError
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
from .forms import (
    LocationForm,
    OfferForm,
    OfferSearchForm,
    PauseForm,
    ProviderDecisionForm,
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


def _conflict_rows(form: OfferForm, stale: StaleEditError) -> list[dict[str, str]]:
    """What someone else changed, field by field, in words: theirs beside yours."""
    current = stale.current
    assert isinstance(current, Offer)  # noqa: S101 - offer services save offers
    mine = form.cleaned_data
    rows = []
    for name in stale.changed_fields:
        if name in ("checked_on", "checked_by"):
            if name == "checked_by":
                continue
            rows.append(
                {
                    "field": _("Data checked on"),
                    "current": current.checked_on.strftime("%d.%m.%Y")
                    if current.checked_on
                    else "—",
                    "yours": _("today, with your save"),
                }
            )
            continue
        if name not in form.fields:
            continue
        value = getattr(current, name)
        if name == "required_documents":
            shown_current, shown_mine = (
                "; ".join(value) or "—",
                "; ".join(
                    line.strip() for line in str(mine.get(name) or "").splitlines() if line.strip()
                ),
            )
        else:
            shown_current = form.display(name, value)
            shown_mine = form.display(name, mine.get(name))
        rows.append(
            {
                "field": str(form.fields[name].label),
                "current": shown_current,
                "yours": shown_mine or "—",
            }
        )
    return rows


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
                conflict = _conflict_rows(form, stale)
                # Re-based on the current version: saving again overwrites knowingly.
                rebased = request.POST.copy()
                rebased["version"] = str(stale.current.version)  # type: ignore[attr-defined]
                form = OfferForm(rebased, **form_kwargs)
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
        % {"fields": ", ".join(_field_label(name) for name in stale.changed_fields) or "—"},
    )


def _field_label(name: str) -> str:
    try:
        field = Offer._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    return str(getattr(field, "verbose_name", name))


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
    location = get_object_or_404(
        Location.objects.filter(provider__in=manageable_providers(membership)).select_related(
            "provider"
        ),
        pk=pk,
    )
    return _location_page(request, membership, location.provider, location)


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
    due_before = timezone.localdate() - CHECK_INTERVAL
    offers = Offer.objects.filter(provider__in=manageable_providers(membership)).exclude(
        status=Offer.Status.DEFUNCT
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
