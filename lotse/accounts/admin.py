"""The Django admin for system administrators; every write in it leaves an audit event.

Django's add, change and delete views already run in a transaction; the audited helpers in
``services`` open their own (a savepoint there), and the bulk actions and the password form,
which Django runs without one, are wrapped here. If an event cannot be written, the write is
rolled back with it.
"""

from __future__ import annotations

import contextlib
from typing import Any, TypeVar

from django.contrib import admin, messages
from django.contrib.admin.exceptions import NotRegistered
from django.contrib.admin.models import LogEntry
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import models, router, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.forms import BaseModelFormSet, ModelForm
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from lotse.audit.models import AuditAction

from .access import current_user
from .models import Agency, ApiToken, Membership, Team, User
from .services import (
    admin_change_record,
    admin_object_delete,
    admin_object_save,
    admin_objects_delete,
    api_tokens_revoke,
    second_factors_reset,
)

# django-otp registers its devices in the admin, where they could be edited without an audit
# event and the recovery codes read in clear. Devices are set up by their owner and only ever
# reset here, with the audited action on the users. (django-otp-webauthn registers none for its
# passkeys; should a version do, it goes too.)
for _model in (TOTPDevice, StaticDevice, WebAuthnCredential):
    with contextlib.suppress(NotRegistered):
        admin.site.unregister(_model)

_M = TypeVar("_M", bound=models.Model)

# The URL name Django's UserAdmin gives its password form, whatever the user model.
_PASSWORD_CHANGE_URL_NAME = "auth_user_password_change"  # noqa: S105 - a URL name, not a secret


class AuditedAdminMixin(admin.ModelAdmin[_M]):
    """Every add, change and delete of this admin, its inlines and "delete selected" is audited."""

    def save_model(self, request: HttpRequest, obj: _M, form: ModelForm[_M], change: bool) -> None:
        if change and not form.has_changed():
            # Django saves the unchanged object again (say, when only an inline changed);
            # there is nothing to record about it.
            obj.save()
            return
        admin_object_save(
            actor=current_user(request), obj=obj, fields=form.changed_data, adding=not change
        )

    def delete_model(self, request: HttpRequest, obj: _M) -> None:
        admin_object_delete(actor=current_user(request), obj=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[_M]) -> None:
        # "Delete selected" runs outside Django's transactions; the helper brings its own.
        admin_objects_delete(actor=current_user(request), queryset=queryset)

    def save_formset(
        self,
        request: HttpRequest,
        form: ModelForm[_M],
        formset: BaseModelFormSet[Any, ModelForm[Any]],
        change: bool,
    ) -> None:
        actor = current_user(request)
        with transaction.atomic(using=router.db_for_write(formset.model)):
            formset.save(commit=False)
            added_fields = {id(f.instance): f.changed_data for f in formset.forms}
            for obj in formset.deleted_objects:
                admin_object_delete(actor=actor, obj=obj)
            for obj, fields in formset.changed_objects:
                admin_object_save(actor=actor, obj=obj, fields=fields, adding=False)
            for obj in formset.new_objects:
                admin_object_save(
                    actor=actor, obj=obj, fields=added_fields.get(id(obj), []), adding=True
                )
            formset.save_m2m()  # set by save(commit=False)


class MembershipInline(admin.TabularInline[Membership, User]):
    model = Membership
    extra = 0
    autocomplete_fields = ["agency"]
    fields = ["agency", "role", "team", "phone", "is_active"]


@admin.register(User)
class UserAdmin(AuditedAdminMixin[User], DjangoUserAdmin[User]):
    inlines = [MembershipInline]
    list_display = [
        "username",
        "first_name",
        "last_name",
        "is_active",
        "is_staff",
        "has_second_factor",
    ]
    actions = ["reset_second_factor"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                _has_app=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
                | Exists(WebAuthnCredential.objects.filter(user=OuterRef("pk"), confirmed=True))
            )
        )

    @admin.display(boolean=True, description=_("second factor"))
    def has_second_factor(self, obj: User) -> bool:
        return bool(getattr(obj, "_has_app", False))

    @admin.action(permissions=["change"], description=_("Reset the second factor"))
    def reset_second_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        # For a lost phone or key: the app, the passkeys and the recovery codes go; whose role
        # needs a second factor sets it up again at the next request. One audit event per user,
        # all or nothing.
        count = second_factors_reset(users=queryset, actor=current_user(request))
        self.message_user(
            request,
            ngettext(
                "Second factor reset for %(count)d user; they set it up again at their next login.",
                "Second factor reset for %(count)d users; they set it up again at their next "
                "login.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        if request.method != "POST":
            return super().user_change_password(request, id, form_url)
        # Django saves the new password outside a transaction; with one, the password and its
        # event are written together or not at all.
        with transaction.atomic(using=router.db_for_write(self.model)):
            return super().user_change_password(request, id, form_url)

    def log_change(self, request: HttpRequest, obj: User, message: Any) -> LogEntry:
        entry = super().log_change(request, obj, message)
        # The password view saves through its own form, not save_model; Django logs the change
        # right after the save, so the event is recorded here. The change form's own changes
        # were recorded in save_model already.
        match = request.resolver_match
        if match is not None and match.url_name == _PASSWORD_CHANGE_URL_NAME:
            admin_change_record(
                actor=current_user(request),
                action=AuditAction.ADMIN_CHANGED,
                target=obj,
                fields=["password"],
            )
        return entry


@admin.register(Agency)
class AgencyAdmin(AuditedAdminMixin[Agency]):
    list_display = ["name", "code", "kind", "is_public_body", "need_to_know", "is_active"]
    list_filter = ["kind", "is_public_body", "need_to_know", "is_active"]
    search_fields = ["name", "code"]


@admin.register(Team)
class TeamAdmin(AuditedAdminMixin[Team]):
    list_display = ["name", "agency"]
    list_filter = ["agency"]
    search_fields = ["name", "agency__name"]
    autocomplete_fields = ["agency"]


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedAdminMixin[ApiToken]):
    """Tokens are created with ``lotse create_api_token`` and only ever revoked here."""

    list_display = ["prefix", "user", "name", "created_at", "expires_at", "revoked_at"]
    readonly_fields = ["prefix", "key_hash", "created_at", "last_used_at"]
    search_fields = ["user__username", "prefix"]
    actions = ["revoke_selected"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        # No editing field by field: a token is revoked with the action, nothing else.
        return False

    def has_revoke_permission(self, request: HttpRequest) -> bool:
        return super().has_change_permission(request)

    @admin.action(permissions=["revoke"], description=_("Revoke selected tokens"))
    def revoke_selected(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        # Admin actions run outside Django's transactions; the helper brings its own, so either
        # every selected token is revoked and audited, or none.
        revoked = api_tokens_revoke(
            tokens=queryset.select_related("user"), actor=current_user(request)
        )
        self.message_user(
            request,
            ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", revoked)
            % {"count": revoked},
            messages.SUCCESS,
        )
