"""Every write in the Django admin leaves an audit event, written with the write or not at all.

The tests go through the real admin pages as a browser would: fetch the form, post back what
the page holds with the few values a system administrator changes.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from typing import Any
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

from lotse.accounts.models import Agency, ApiToken, Membership, User
from lotse.accounts.roles import Role
from lotse.accounts.services import api_token_create
from lotse.audit.models import AuditAction, AuditEvent
from lotse.audit.services import record as real_record
from lotse.audit.services import verify_chain

from .factories import AgencyFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Harbour-Wombat-Lantern-8127"
ADMIN_ACTIONS = (AuditAction.ADMIN_ADDED, AuditAction.ADMIN_CHANGED, AuditAction.ADMIN_DELETED)


class _FormFields(HTMLParser):
    """The fields one ``<form id=...>`` of a page submits, as a browser would send them."""

    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.data: dict[str, list[str]] = {}
        self._select: str | None = None
        self._multiple = False
        self._options: list[str] = []
        self._textarea: str | None = None

    def _add(self, name: str, value: str) -> None:
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.inside = a.get("id") == self.form_id
            return
        if tag == "option" and self._select is not None:
            self._options.append(a.get("value", ""))
            if "selected" in a:
                self._add(self._select, a.get("value", ""))
            return
        if not self.inside or "name" not in a or "disabled" in a:
            return
        name = a["name"]
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("submit", "button", "reset", "file"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._add(name, a.get("value", "on"))
                return
            self._add(name, a.get("value", ""))
        elif tag == "select":
            self._select, self._multiple, self._options = name, "multiple" in a, []
            self.data.setdefault(name, [])
        elif tag == "textarea":
            self._textarea = name
            self._add(name, "")

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self.data[self._textarea][-1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select" and self._select is not None:
            # A single choice with nothing selected sends its first option, as browsers do.
            if not self.data[self._select] and not self._multiple and self._options:
                self._add(self._select, self._options[0])
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def form_data(client: Client, url: str, form_id: str) -> dict[str, Any]:
    """GET ``url`` and return what its form would post (empty inline templates left out)."""
    response = client.get(url)
    assert response.status_code == 200, url
    parser = _FormFields(form_id)
    parser.feed(response.content.decode())
    assert parser.data, f"no form {form_id!r} on {url}"
    return {
        name: values if len(values) != 1 else values[0]
        for name, values in parser.data.items()
        if "__prefix__" not in name
    }


def inline_prefix(data: dict[str, Any]) -> str:
    """The prefix of the page's one inline formset, as its management form names it."""
    [prefix] = [name.removesuffix("-TOTAL_FORMS") for name in data if name.endswith("-TOTAL_FORMS")]
    return prefix


def admin_events() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action__in=ADMIN_ACTIONS).order_by("pk"))


def assert_nothing_personal(*users: User, secrets: tuple[str, ...] = ()) -> None:
    """No event detail holds a password, a password hash or a user's first or last name."""
    forbidden = [*secrets]
    for user in users:
        user.refresh_from_db()
        forbidden += [user.password, user.first_name, user.last_name]
    for event in AuditEvent.objects.all():
        text = json.dumps(event.detail, ensure_ascii=False)
        for value in filter(None, forbidden):
            assert value not in text, (event.action, value)
    assert verify_chain().intact


def assert_saved(response: Any) -> None:
    """The admin redirected after saving; otherwise name the form errors it showed."""
    if response.status_code != 302:
        context = response.context or {}
        errors: list[Any] = []
        if "adminform" in context:
            errors.append(context["adminform"].form.errors)
        for inline in context.get("inline_admin_formsets", []):
            errors += [inline.formset.errors, inline.formset.non_form_errors()]
        pytest.fail(f"not saved ({response.status_code}): {errors}")


def user_change_url(user: User) -> str:
    return reverse("admin:accounts_user_change", args=[user.pk])


@pytest.fixture
def admin_client(hana, client_for) -> Client:
    client: Client = client_for(hana)
    return client


def test_adding_a_user_is_audited_with_field_names_and_flags_only(admin_client, hana):
    data = form_data(admin_client, reverse("admin:accounts_user_add"), "user_form")
    data.update(username="neu", password1=NEW_PASSWORD, password2=NEW_PASSWORD, _save="1")
    response = admin_client.post(reverse("admin:accounts_user_add"), data)

    assert_saved(response)
    new = User.objects.get(username="neu")
    [event] = admin_events()
    assert event.action == AuditAction.ADMIN_ADDED
    assert event.actor == hana
    assert event.agency == hana.primary_membership().agency
    assert (event.target_type, event.target_id) == ("accounts.user", str(new.pk))
    assert event.detail == {
        "fields": ["password", "username"],
        "is_active": True,
        "is_staff": False,
        "is_superuser": False,
    }
    assert_nothing_personal(hana, new, secrets=(NEW_PASSWORD,))


def _add_jugendamt_membership(client: Client, user: User, agency: Agency) -> Any:
    url = user_change_url(user)
    data = form_data(client, url, "user_form")
    prefix = inline_prefix(data)
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": str(index + 1),
            f"{prefix}-{index}-user": str(user.pk),
            f"{prefix}-{index}-agency": str(agency.pk),
            f"{prefix}-{index}-role": Role.CASEWORKER,
            f"{prefix}-{index}-is_active": "on",
            "_continue": "1",
        }
    )
    return client.post(url, data)


def test_adding_a_membership_through_the_inline_is_audited(admin_client, hana, agencies):
    # The finding: an administrator giving itself content access at the Jugendamt.
    response = _add_jugendamt_membership(admin_client, hana, agencies.jugendamt)

    assert_saved(response)
    membership = Membership.objects.get(user=hana, agency=agencies.jugendamt)
    # The user form itself was posted back unchanged: one event, for the membership.
    [event] = admin_events()
    assert event.action == AuditAction.ADMIN_ADDED
    assert event.actor == hana
    assert event.agency == agencies.kim
    assert (event.target_type, event.target_id) == ("accounts.membership", str(membership.pk))
    assert event.detail == {
        "fields": ["agency", "role"],
        "user": hana.pk,
        "agency": "ja",
        "role": Role.CASEWORKER,
        "is_active": True,
    }
    assert_nothing_personal(hana)


def test_changing_a_user_and_a_membership_role_is_audited(admin_client, hana, anna, agencies):
    assert_saved(_add_jugendamt_membership(admin_client, anna, agencies.jugendamt))
    membership = Membership.objects.get(user=anna, agency=agencies.jugendamt)
    AuditEvent.objects.get(action=AuditAction.ADMIN_ADDED, target_id=str(membership.pk))
    last_pk = AuditEvent.objects.latest("pk").pk
    url = user_change_url(anna)
    data = form_data(admin_client, url, "user_form")
    prefix = inline_prefix(data)
    [index] = [
        name.split("-")[1]
        for name, value in data.items()
        if name.startswith(f"{prefix}-") and name.endswith("-id") and value == str(membership.pk)
    ]
    data[f"{prefix}-{index}-role"] = Role.TEAM_LEAD
    data["is_staff"] = "on"
    data["_continue"] = "1"
    response = admin_client.post(url, data)

    assert_saved(response)
    membership.refresh_from_db()
    assert membership.role == Role.TEAM_LEAD
    user_event, membership_event = AuditEvent.objects.filter(pk__gt=last_pk).order_by("pk")
    assert user_event.action == membership_event.action == AuditAction.ADMIN_CHANGED
    assert user_event.actor == membership_event.actor == hana
    assert (user_event.target_type, user_event.target_id) == ("accounts.user", str(anna.pk))
    assert user_event.detail == {
        "fields": ["is_staff"],
        "is_active": True,
        "is_staff": True,
        "is_superuser": False,
    }
    assert (membership_event.target_type, membership_event.target_id) == (
        "accounts.membership",
        str(membership.pk),
    )
    assert membership_event.detail == {
        "fields": ["role"],
        "user": anna.pk,
        "agency": "ja",
        "role": Role.TEAM_LEAD,
        "is_active": True,
    }
    assert_nothing_personal(hana, anna)


def test_deleting_a_membership_through_the_inline_is_audited_before_it_is_gone(
    admin_client, hana, anna, agencies
):
    assert_saved(_add_jugendamt_membership(admin_client, anna, agencies.jugendamt))
    membership_id = Membership.objects.get(user=anna, agency=agencies.jugendamt).pk
    last_pk = AuditEvent.objects.latest("pk").pk
    url = user_change_url(anna)
    data = form_data(admin_client, url, "user_form")
    prefix = inline_prefix(data)
    [index] = [
        name.split("-")[1]
        for name, value in data.items()
        if name.startswith(f"{prefix}-") and name.endswith("-id") and value == str(membership_id)
    ]
    data[f"{prefix}-{index}-DELETE"] = "on"
    data["_continue"] = "1"
    response = admin_client.post(url, data)

    assert_saved(response)
    assert not Membership.objects.filter(pk=membership_id).exists()
    [event] = AuditEvent.objects.filter(pk__gt=last_pk)
    assert event.action == AuditAction.ADMIN_DELETED
    assert event.actor == hana
    assert event.agency == agencies.kim
    assert (event.target_type, event.target_id) == ("accounts.membership", str(membership_id))
    assert event.detail == {
        "user": anna.pk,
        "agency": "ja",
        "role": Role.CASEWORKER,
        "is_active": True,
    }
    assert_nothing_personal(hana, anna)


def test_changing_a_password_in_the_admin_is_audited_without_the_password(admin_client, hana, anna):
    url = reverse("admin:auth_user_password_change", args=[anna.pk])
    data = form_data(admin_client, url, "user_form")
    data.update(password1=NEW_PASSWORD, password2=NEW_PASSWORD)
    response = admin_client.post(url, data)

    assert_saved(response)
    anna.refresh_from_db()
    assert anna.check_password(NEW_PASSWORD)
    [event] = admin_events()
    assert event.action == AuditAction.ADMIN_CHANGED
    assert event.actor == hana
    assert event.agency == hana.primary_membership().agency
    assert (event.target_type, event.target_id) == ("accounts.user", str(anna.pk))
    assert event.detail["fields"] == ["password"]
    assert_nothing_personal(hana, anna, secrets=(NEW_PASSWORD,))


def test_a_password_change_whose_event_fails_is_not_saved(admin_client, anna):
    old_hash = anna.password
    url = reverse("admin:auth_user_password_change", args=[anna.pk])
    data = form_data(admin_client, url, "user_form")
    data.update(password1=NEW_PASSWORD, password2=NEW_PASSWORD)
    with (
        mock.patch("lotse.accounts.services.record", side_effect=RuntimeError("audit down")),
        pytest.raises(RuntimeError),
    ):
        admin_client.post(url, data)

    anna.refresh_from_db()
    assert anna.password == old_hash
    assert admin_events() == []


def test_revoking_tokens_with_the_admin_action_is_audited(admin_client, hana, anna):
    token = api_token_create(user=anna).token
    already_revoked = api_token_create(user=anna).token
    ApiToken.objects.filter(pk=already_revoked.pk).update(revoked_at=already_revoked.expires_at)
    last_pk = AuditEvent.objects.latest("pk").pk
    response = admin_client.post(
        reverse("admin:accounts_apitoken_changelist"),
        {"action": "revoke_selected", "_selected_action": [token.pk, already_revoked.pk]},
    )

    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    # One event, for the token that was still usable.
    [event] = AuditEvent.objects.filter(pk__gt=last_pk)
    assert event.action == AuditAction.API_TOKEN_REVOKED
    assert event.actor == hana
    assert (event.target_type, event.target_id) == ("accounts.apitoken", str(token.pk))
    assert_nothing_personal(hana, anna)


def test_a_revocation_whose_event_fails_revokes_nothing(admin_client, anna):
    first = api_token_create(user=anna).token
    second = api_token_create(user=anna).token
    calls = 0

    def fail_second(**kwargs: Any) -> AuditEvent:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise RuntimeError("audit down")
        return real_record(**kwargs)

    with (
        mock.patch("lotse.accounts.services.record", side_effect=fail_second),
        pytest.raises(RuntimeError),
    ):
        admin_client.post(
            reverse("admin:accounts_apitoken_changelist"),
            {"action": "revoke_selected", "_selected_action": [first.pk, second.pk]},
        )

    assert calls == 2
    assert not ApiToken.objects.filter(revoked_at__isnull=False).exists()


def test_tokens_cannot_be_added_or_edited_in_the_admin(admin_client, anna):
    token = api_token_create(user=anna).token
    changelist = admin_client.get(reverse("admin:accounts_apitoken_changelist"))
    assert changelist.status_code == 200
    assert 'value="revoke_selected"' in changelist.content.decode()
    assert admin_client.get(reverse("admin:accounts_apitoken_add")).status_code == 403
    response = admin_client.post(
        reverse("admin:accounts_apitoken_add"),
        {"user": anna.pk, "name": "sneaky", "expires_at_0": "2099-01-01", "expires_at_1": "0:00"},
    )
    assert response.status_code == 403
    assert ApiToken.objects.count() == 1
    # The change page shows the token read-only; a post changes nothing.
    change_url = reverse("admin:accounts_apitoken_change", args=[token.pk])
    response = admin_client.post(change_url, {"user": anna.pk, "name": "renamed", "_save": "1"})
    assert response.status_code == 403
    token.refresh_from_db()
    assert token.name == ""
    assert admin_events() == []


def test_deleting_an_agency_with_delete_selected_is_audited(admin_client, hana):
    spare = AgencyFactory.create(code="spare", name="Spare agency")
    changelist = reverse("admin:accounts_agency_changelist")
    selection = {"action": "delete_selected", "_selected_action": [spare.pk]}
    confirm = admin_client.post(changelist, selection)
    assert confirm.status_code == 200  # the confirmation page; nothing deleted yet
    assert Agency.objects.filter(pk=spare.pk).exists()
    assert admin_events() == []

    response = admin_client.post(changelist, {**selection, "post": "yes"})

    assert response.status_code == 302
    assert not Agency.objects.filter(pk=spare.pk).exists()
    [event] = admin_events()
    assert event.action == AuditAction.ADMIN_DELETED
    assert event.actor == hana
    assert event.agency == hana.primary_membership().agency
    assert (event.target_type, event.target_id) == ("accounts.agency", str(spare.pk))
    assert event.detail == {"code": "spare", "is_active": True}
    assert_nothing_personal(hana)


def test_a_bulk_delete_whose_event_fails_deletes_nothing(admin_client, hana):
    spare = AgencyFactory.create(code="spare", name="Spare agency")
    with (
        mock.patch("lotse.accounts.services.record", side_effect=RuntimeError("audit down")),
        pytest.raises(RuntimeError),
    ):
        admin_client.post(
            reverse("admin:accounts_agency_changelist"),
            {"action": "delete_selected", "_selected_action": [spare.pk], "post": "yes"},
        )
    assert Agency.objects.filter(pk=spare.pk).exists()


def test_deleting_an_agency_on_its_delete_page_is_audited(admin_client, hana):
    spare = AgencyFactory.create(code="spare", name="Spare agency")
    response = admin_client.post(
        reverse("admin:accounts_agency_delete", args=[spare.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not Agency.objects.filter(pk=spare.pk).exists()
    [event] = admin_events()
    assert event.action == AuditAction.ADMIN_DELETED
    assert (event.target_type, event.target_id) == ("accounts.agency", str(spare.pk))
    assert_nothing_personal(hana)
