"""Lotse settings: everything that differs between machines comes from ``LOTSE_*`` variables.

``LOTSE_ENV`` is ``development`` (default, ``make demo``), ``test`` (pytest) or ``production``.
Production refuses to start without a secret key and allowed hosts.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
import django_stubs_ext
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from lotse.core.caches import cache_from_url
from lotse.core.env import (
    ConfigurationError,
    env_bool,
    env_choice,
    env_email,
    env_int,
    env_list,
    env_optional_str,
    env_str,
)

# Lets admin and other generic classes be subscripted at run time, as the type checker wants.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
LOTSE_ENV = env_choice("ENV", "development", ("development", "test", "production"))
IS_PRODUCTION = LOTSE_ENV == "production"
IS_TEST = LOTSE_ENV == "test"

VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))
NODE_MODULES_DIR = Path(env_str("NODE_MODULES_DIR", str(BASE_DIR / "node_modules")))

# --- core ---------------------------------------------------------------------------------------
_DEV_SECRET_KEY = "lotse-development-only-key-never-use-in-production-0123456789abcdef"  # noqa: S105
if IS_PRODUCTION:
    SECRET_KEY = env_str("SECRET_KEY", "")
    if not SECRET_KEY:
        raise ConfigurationError(
            "LOTSE_SECRET_KEY must be set when LOTSE_ENV=production "
            "(at least 50 random characters, e.g. from `python -c 'import secrets; "
            "print(secrets.token_urlsafe(64))'`)."
        )
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
    if not ALLOWED_HOSTS:
        raise ConfigurationError(
            "LOTSE_ALLOWED_HOSTS must be set when LOTSE_ENV=production "
            "(comma-separated host names)."
        )
    DEBUG = False
else:
    SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET_KEY)
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
    # Off unless LOTSE_DEBUG=1: the demo shows Lotse's own error pages, not Django's technical
    # ones with URL patterns and local variables.
    DEBUG = env_bool("DEBUG", False)

CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "lotse.accounts.admin_site.LotseAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "csp",
    "ninja",
    "lotse.core",
    "lotse.audit",
    "lotse.accounts",
    "lotse.consent",
    "lotse.people",
    "lotse.directory",
    "lotse.cases",
    "lotse.referrals",
    "lotse.scheduling",
    "lotse.privacy",
    "lotse.reports",
    "lotse.api",
    "lotse.demo",
]
if not IS_PRODUCTION:
    # runserver leaves static files to WhiteNoise, as in production (also without DEBUG).
    INSTALLED_APPS.insert(
        INSTALLED_APPS.index("django.contrib.staticfiles"), "whitenoise.runserver_nostatic"
    )

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files in every environment: collected in production, found in place otherwise.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lotse.core.middleware.GermanFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Marks the session's user as verified by a second factor (``request.user.is_verified()``).
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "lotse.accounts.middleware.MembershipMiddleware",
    # After the membership: a login still missing its second factor reaches nothing but the
    # code or enrolment page (and is no login at all for the API).
    "lotse.accounts.middleware.SecondFactorMiddleware",
    "lotse.core.middleware.RefuseUnstorableInputMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lotse.accounts.context_processors.shell",
            ],
        },
    },
]

# --- database -----------------------------------------------------------------------------------
_default_sqlite = f"sqlite:///{VAR_DIR / 'lotse.sqlite3'}"
if IS_TEST:
    _database_url = env_optional_str("TEST_DATABASE_URL") or "sqlite:///:memory:"
else:
    _database_url = env_str("DATABASE_URL", _default_sqlite)
try:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
except ValueError as exc:
    raise ConfigurationError(f"LOTSE_DATABASE_URL is not a valid database URL: {exc}") from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE avoids "database is locked" upgrades from read to write inside a transaction.
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
        ),
    }
    if IS_TEST:
        DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Lotse's queries are short index look-ups: compiling them to machine code (JIT) costs
    # more than it saves, often tens of milliseconds per query. Its working set lives in
    # memory or on SSDs, where a random read costs little more than a sequential one
    # (random_page_cost 1.1 instead of the spinning-disk default 4): otherwise the planner
    # hashes all 100,000 persons for a search with a birth year instead of looking up the
    # ~1,500 it needs (110 ms instead of 27, measured on the 100k city).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off -c random_page_cost=1.1"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache --------------------------------------------------------------------------------------
# App nodes keep no state of their own: sessions and login throttling (django-axes' database
# handler) live in the database, and the cache is one every node shares — Redis
# (redis://127.0.0.1:6379/0) or the database (db://lotse_cache, after `lotse createcachetable`).
# locmem:// (one process) is for development and tests only.
_default_cache = "db://lotse_cache" if IS_PRODUCTION else "locmem://"
CACHES = {"default": cache_from_url(env_str("CACHE_URL", _default_cache))}

# --- accounts and login -------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend; the request's user also says what the second factor needs.
    "lotse.accounts.backends.LotseModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if IS_TEST:
    # Tests create many users; Argon2 stays the hasher everywhere else (asserted by a test).
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-axes: six failures lock the user name from that address for a while (not the name
# everywhere, which would let anyone lock colleagues out); the same answer for known and unknown
# names, so a lock-out never tells whether an account exists.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 6, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False
# Reverse proxies in front (nginx: 1); without them every login would come from 127.0.0.1.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)
AXES_CLIENT_IP_CALLABLE = "lotse.core.client_ip.client_ip_address"
# The second step's wrong codes count as failures too; axes keeps no submitted code.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code"]

# --- second factor (django-otp: TOTP apps and one-time recovery codes) ------------------------
# Whoever has enrolled an authenticator app needs its code at every login, whatever the role.
# Members of the roles below must have one: at their first login they are led through the
# enrolment and reach nothing else before. Production: every role that reads case content, the
# DPO and the administrators. Development (``make demo``): the DPO and the system administrator
# only, whose demo accounts come enrolled, so that trying Lotse as a caseworker stays quick.
# Tests: none — the cast logs in with ``force_login``; the two-factor tests switch it on.
# ``LOTSE_2FA_REQUIRED_ROLES=none`` requires it of no role.
_ROLE_CODES = ("caseworker", "team_lead", "coordinator", "dpo", "agency_admin", "system_admin")
_TWO_FACTOR_DEFAULT_ROLES = {
    "production": ["caseworker", "team_lead", "dpo", "agency_admin", "system_admin"],
    "development": ["dpo", "system_admin"],
    "test": [],
}[LOTSE_ENV]
_two_factor_roles = env_list("2FA_REQUIRED_ROLES", _TWO_FACTOR_DEFAULT_ROLES)
if _two_factor_roles == ["none"]:
    _two_factor_roles = []
_unknown_roles = sorted(set(_two_factor_roles) - set(_ROLE_CODES))
if _unknown_roles:
    raise ConfigurationError(
        f"LOTSE_2FA_REQUIRED_ROLES names unknown roles {', '.join(_unknown_roles)}; "
        f"known are {', '.join(_ROLE_CODES)} (or 'none')."
    )
TWO_FACTOR_REQUIRED_ROLES = tuple(_two_factor_roles)
# The name authenticator apps show beside the account (one per installation, e.g. the city).
OTP_TOTP_ISSUER = env_str("2FA_ISSUER", "Lotse")
# django-otp's own brake per device (1, 2, 4, … seconds after each wrong code), beside axes.
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

# Passkeys (WebAuthn) beside the app: see "passkeys" below, after LOTSE_BASE_URL.

# Idle timeout: every request renews the session; after SESSION_IDLE_MINUTES without one it ends.
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30, minimum=1)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
# Django's database sessions, refusing cookies no session key can be (a NUL byte in the cookie
# reached PostgreSQL on every URL).
SESSION_ENGINE = "lotse.core.sessions"
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

API_TOKEN_DEFAULT_DAYS = env_int("API_TOKEN_DAYS", 90, minimum=1)
# More cross-agency duplicate hints than this for one user in one day are flagged for the DPO.
DUPLICATE_HINT_ALERT_PER_DAY = env_int("DUPLICATE_HINT_ALERT_PER_DAY", 50, minimum=1)
# Years a closed case file is kept before the DPO sees it as due for erasure (§ 84 Abs. 2
# SGB X: social data are erased once they are no longer needed; the city sets the period).
RETENTION_YEARS = env_int("RETENTION_YEARS", 3, minimum=1)

# --- data-protection officer ------------------------------------------------------------------
# Printed on the consent form and shown where consents are recorded (Art. 13(1)(b) GDPR). The
# defaults are a fictional office for development and tests; production has none, so a real
# installation prints only what its LOTSE_DPO_* variables say.
_DPO_DEMO = {
    "NAME": "Datenschutzbeauftragte der Stadt",
    "ADDRESS": "Rathaus, Musterplatz 1, 12345 Musterstadt",
    "EMAIL": "datenschutz@example.org",
    "PHONE": "+49 123 4567-0",
}
DPO_NAME = env_str("DPO_NAME", "" if IS_PRODUCTION else _DPO_DEMO["NAME"])
DPO_ADDRESS = env_str("DPO_ADDRESS", "" if IS_PRODUCTION else _DPO_DEMO["ADDRESS"])
DPO_EMAIL = env_email("DPO_EMAIL", "" if IS_PRODUCTION else _DPO_DEMO["EMAIL"])
DPO_PHONE = env_str("DPO_PHONE", "" if IS_PRODUCTION else _DPO_DEMO["PHONE"])

# --- internationalisation -----------------------------------------------------------------------
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["lotse.core.formats"]
LANGUAGE_COOKIE_NAME = "lotse_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

# --- static files -------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Front-end packages come from npm (package.json) and are served straight from node_modules.
STATICFILES_DIRS = [
    ("vendor/kern", NODE_MODULES_DIR / "@kern-ux" / "native" / "dist"),
    ("vendor/htmx", NODE_MODULES_DIR / "htmx.org" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if IS_PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# WhiteNoise serves production's collected files (after `lotse collectstatic`); development and
# tests serve the files where the finders find them (app static dirs, STATICFILES_DIRS), picking
# up changes without a restart and without a collect step.
WHITENOISE_USE_FINDERS = not IS_PRODUCTION
WHITENOISE_AUTOREFRESH = not IS_PRODUCTION
if not IS_PRODUCTION:
    WHITENOISE_MAX_AGE = 0  # an edited stylesheet shows on the next reload
MEDIA_ROOT = VAR_DIR / "media"

# --- security -----------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = True
if IS_PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 31_536_000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", True)
    if env_bool("BEHIND_TLS_PROXY", True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# django-csp: no inline script or style anywhere; every asset is served by Lotse itself.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# --- logging: structured JSON, no personal data ---------------------------------------------------
LOG_LEVEL = env_choice("LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR"))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "lotse.core.logging.RedactPersonalDataFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        }
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["redact"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # axes would log user names of failed logins; the audit trail records those instead.
        "axes": {"level": "ERROR"},
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint reports its progress at INFO for every rendered form.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- referrals ----------------------------------------------------------------------------------
# Days a receiving agency has to answer a referral before it is overdue (and shown to its team
# lead), and after which an unanswered referral expires.
REFERRAL_ANSWER_DAYS = env_int("REFERRAL_ANSWER_DAYS", 7, minimum=1)

# --- daily work -----------------------------------------------------------------------------------
# The address Lotse is reached at: links in reminder e-mails point there, and calendar feeds
# fetched without a request use it (a feed fetched over HTTP links to the host it came from).
BASE_URL = env_str("BASE_URL", "http://127.0.0.1:8000")

# --- passkeys (WebAuthn, django-otp-webauthn) -------------------------------------------------
# A second factor beside the authenticator app, never instead of the password (no passwordless
# login). A passkey belongs to a domain, the relying party ID: by default the host of
# LOTSE_BASE_URL; LOTSE_PASSKEY_RP_ID may name a parent domain instead ("example.org" for
# lotse.example.org), so that passkeys keep working across its subdomains. Changing it later
# makes every registered passkey useless. Browsers offer passkeys on https:// only (and on
# http://localhost): production is served over TLS, so its origin is https:// whatever scheme
# LOTSE_BASE_URL was written with; a development server on 127.0.0.1 is reached as
# http://localhost for passkeys (browsers refuse IP addresses as the relying party).
_base = urlsplit(BASE_URL)
try:
    _base_port = "" if _base.port in (None, 80, 443) else f":{_base.port}"
except ValueError:
    raise ConfigurationError(f"LOTSE_BASE_URL={BASE_URL} has no valid port.") from None
if _base.scheme not in ("http", "https") or not _base.hostname:
    raise ConfigurationError(f"LOTSE_BASE_URL={BASE_URL} must be an http(s):// address.")
_base_host = _base.hostname.lower()
if not IS_PRODUCTION and _base_host in ("127.0.0.1", "::1"):
    _base_host = "localhost"
_plain_localhost = _base.scheme == "http" and _base_host == "localhost" and not IS_PRODUCTION
_passkey_scheme = "http" if _plain_localhost else "https"
OTP_WEBAUTHN_ALLOWED_ORIGINS = [f"{_passkey_scheme}://{_base_host}{_base_port}"]
OTP_WEBAUTHN_RP_ID = env_str("PASSKEY_RP_ID", _base_host).lower().strip(".")
if not (_base_host == OTP_WEBAUTHN_RP_ID or _base_host.endswith("." + OTP_WEBAUTHN_RP_ID)):
    raise ConfigurationError(
        f"LOTSE_PASSKEY_RP_ID={OTP_WEBAUTHN_RP_ID} must be the host of LOTSE_BASE_URL "
        f"({_base_host}) or a parent domain of it."
    )
# The name a browser shows when a passkey is registered (the app's issuer, e.g. the city's).
OTP_WEBAUTHN_RP_NAME = OTP_TOTP_ISSUER
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
# Names the passkeys and audits their registration (lotse.accounts.passkeys).
OTP_WEBAUTHN_HELPER_CLASS = "lotse.accounts.passkeys.LotseWebAuthnHelper"

# --- daily work, continued ------------------------------------------------------------------------
# Reminder e-mails (opt-in daily digest: counts and a link, no names). Without LOTSE_EMAIL_HOST
# they are written to the console (development) — production needs an SMTP relay.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env_str("EMAIL_FROM", "lotse@localhost")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
# Figures for the steering group: cells below this count are withheld ("< 5"); never below 3.
REPORT_MIN_CELL_SIZE = env_int("REPORT_MIN_CELL_SIZE", 5, minimum=3)
REFERRAL_EXPIRY_DAYS = env_int("REFERRAL_EXPIRY_DAYS", 30, minimum=1)

# --- directory of offers ------------------------------------------------------------------------
# The city of the instance (one city per instance): the HSDS export's addresses and the service
# area of city-wide offers. State: ISO 3166-2 subdivision code without the country ("NW");
# country: ISO 3166-1 alpha-2.
DIRECTORY_CITY = env_str("DIRECTORY_CITY", "Wuppertal")
DIRECTORY_STATE_PROVINCE = env_str("DIRECTORY_STATE_PROVINCE", "NW")
DIRECTORY_COUNTRY = env_str("DIRECTORY_COUNTRY", "DE")
# The city's contact for accessibility: the public directory's form "Report a barrier" sends
# its reports there by e-mail (BITV 2.0 § 7, EU 2016/2102 Art. 7(1)(b)), and the shipped
# accessibility statement names it. Development and tests have a fictional address; production
# has none, and the form then says it is not available and points to the statement's contact.
ACCESSIBILITY_FEEDBACK_EMAIL = env_email(
    "ACCESSIBILITY_FEEDBACK_EMAIL", "" if IS_PRODUCTION else "barrierefreiheit@example.org"
)
