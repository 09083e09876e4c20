from django.urls import path

from . import passkey_views, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("login/code/", views.login_code, name="login_code"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("users/", views.agency_users, name="agency_users"),
    path("switch-agency/", views.switch_membership, name="switch_membership"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("two-factor/set-up/", views.two_factor_enrol, name="two_factor_enrol"),
    path(
        "two-factor/recovery-codes/",
        views.two_factor_recovery_codes,
        name="two_factor_recovery_codes",
    ),
    # Passkeys (django-otp-webauthn's ceremonies; the package's own URLs are not mounted).
    path(
        "two-factor/passkeys/register/begin/",
        passkey_views.PasskeyRegisterBeginView.as_view(),
        name="passkey_register_begin",
    ),
    path(
        "two-factor/passkeys/register/complete/",
        passkey_views.PasskeyRegisterCompleteView.as_view(),
        name="passkey_register_complete",
    ),
    path(
        "two-factor/passkeys/<int:passkey_id>/remove/",
        passkey_views.passkey_remove_view,
        name="passkey_remove",
    ),
    path(
        "login/passkey/begin/",
        passkey_views.PasskeyLoginBeginView.as_view(),
        name="passkey_login_begin",
    ),
    path(
        "login/passkey/complete/",
        passkey_views.PasskeyLoginCompleteView.as_view(),
        name="passkey_login_complete",
    ),
    path("passkeys/jsi18n/", passkey_views.passkey_js_catalog, name="passkey_js_catalog"),
]
