"""Settings, read from the environment so one build serves the demo and production.

Every setting that differs between a laptop and a production site is an environment
variable prefixed ``KLANTOCRATIE_``; docs/operations.md lists them all.
"""

import json
import os
from pathlib import Path
from urllib.parse import unquote, urlparse

from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("KLANTOCRATIE_VAR_DIR", BASE_DIR / "var"))


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _database_from_url(url: str) -> dict[str, object]:
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        path = unquote(parsed.path) or str(VAR_DIR / "db.sqlite3")
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": path,
            # A busy-timeout lets the demo's worker threads wait for the writer instead
            # of failing with "database is locked".
            # IMMEDIATE makes a transaction take the write lock at its start, so concurrent
            # log appends queue behind each other instead of failing to upgrade a lock.
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
            "TEST": {"NAME": os.environ.get("KLANTOCRATIE_TEST_SQLITE_NAME")},
        }
    if parsed.scheme in {"postgres", "postgresql"}:
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")) or "klantocratie",
            "USER": unquote(parsed.username or "postgres"),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "127.0.0.1",
            "PORT": str(parsed.port or 5432),
            "CONN_MAX_AGE": int(os.environ.get("KLANTOCRATIE_DB_CONN_MAX_AGE", "60")),
        }
    raise ValueError(f"KLANTOCRATIE_DATABASE_URL: unsupported scheme {parsed.scheme!r}")


DEBUG = _env_bool("KLANTOCRATIE_DEBUG", False)
# Off unless asked for: a deployment that forgets the setting must not get demo keys.
DEMO_MODE = _env_bool("KLANTOCRATIE_DEMO", False)
SECRET_KEY = os.environ.get("KLANTOCRATIE_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEMO_MODE:
        raise RuntimeError("KLANTOCRATIE_SECRET_KEY must be set outside demo mode")
    SECRET_KEY = "demo-only-secret-key-not-for-production"  # noqa: S105

# Key for pseudonymising data subject ids in the processing log (HMAC-SHA256).
PSEUDONYM_KEY = os.environ.get("KLANTOCRATIE_PSEUDONYM_KEY", "")
if not PSEUDONYM_KEY:
    if not DEMO_MODE:
        raise RuntimeError("KLANTOCRATIE_PSEUDONYM_KEY must be set outside demo mode")
    PSEUDONYM_KEY = "demo-only-pseudonym-key"

ALLOWED_HOSTS = os.environ.get(
    "KLANTOCRATIE_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver"
).split(",")
CSRF_TRUSTED_ORIGINS = [
    o for o in os.environ.get("KLANTOCRATIE_CSRF_TRUSTED_ORIGINS", "").split(",") if o
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "django_filters",
    "mozilla_django_oidc",
    # Domain apps: the platform itself.
    "klantocratie.accounts",
    "klantocratie.registry",
    "klantocratie.parties",
    "klantocratie.privacy",
    "klantocratie.events",
    "klantocratie.connectors",
    "klantocratie.clientview",
    "klantocratie.contacts",
    "klantocratie.cases",
    "klantocratie.knowledge",
    "klantocratie.frontoffice",
    "klantocratie.api",
    "klantocratie.analytics",
    "klantocratie.signals",
    "klantocratie.trends",
    "klantocratie.portal",
    "klantocratie.portal.askonce",
    "klantocratie.feedback",
    "klantocratie.participation",
    "klantocratie.imports",
    "klantocratie.linkage",
    "klantocratie.demo",
    # Local registries of the demo organisations: each owns its own tables.
    "klantocratie.sources.population",
    "klantocratie.sources.contactdetails",
    "klantocratie.sources.tax",
    "klantocratie.sources.benefits",
    "klantocratie.sources.traderegister",
    "klantocratie.sources.housing",
    "klantocratie.sources.police",
    "klantocratie.sources.waste",
    "klantocratie.sources.mailreturns",
    "klantocratie.sources.casestatus",
    "klantocratie.sources.municipaltax",
    "klantocratie.sources.arrears",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "klantocratie.privacy.middleware.TraceContextMiddleware",
    "klantocratie.accounts.middleware.ActiveMembershipMiddleware",
]

ROOT_URLCONF = "klantocratie.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "klantocratie" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "klantocratie.accounts.context_processors.membership",
                "klantocratie.portal.context_processors.portal",
            ],
        },
    },
]
WSGI_APPLICATION = "klantocratie.wsgi.application"

DATABASES = {
    "default": _database_from_url(
        os.environ.get("KLANTOCRATIE_DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}")
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "nl"
# Dutch only until an English catalogue exists: negotiating on the browser's language
# gave pages with Dutch text but English dates and form errors.
LANGUAGES = [("nl", "Nederlands")]
LOCALE_PATHS = [BASE_DIR / "klantocratie" / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "klantocratie" / "static"]

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEMO_MODE
CSRF_COOKIE_SECURE = not DEMO_MODE

# --- Logins: local accounts in the demo, OpenID Connect in production -----------------
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
OIDC_ENABLED = bool(os.environ.get("KLANTOCRATIE_OIDC_CLIENT_ID"))
if OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.insert(0, "klantocratie.accounts.oidc.MembershipOIDCBackend")
    OIDC_RP_CLIENT_ID = os.environ["KLANTOCRATIE_OIDC_CLIENT_ID"]
    OIDC_RP_CLIENT_SECRET = os.environ.get("KLANTOCRATIE_OIDC_CLIENT_SECRET", "")
    OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ["KLANTOCRATIE_OIDC_AUTHORIZATION_ENDPOINT"]
    OIDC_OP_TOKEN_ENDPOINT = os.environ["KLANTOCRATIE_OIDC_TOKEN_ENDPOINT"]
    OIDC_OP_USER_ENDPOINT = os.environ["KLANTOCRATIE_OIDC_USER_ENDPOINT"]
    OIDC_OP_JWKS_ENDPOINT = os.environ.get("KLANTOCRATIE_OIDC_JWKS_ENDPOINT", "")
    OIDC_RP_SIGN_ALGO = os.environ.get("KLANTOCRATIE_OIDC_SIGN_ALGO", "RS256")
    if not OIDC_RP_SIGN_ALGO.startswith("HS") and not OIDC_OP_JWKS_ENDPOINT:
        # Without the provider's keys no token can be verified: fail at start, not at login.
        raise RuntimeError(
            f"KLANTOCRATIE_OIDC_JWKS_ENDPOINT must be set for {OIDC_RP_SIGN_ALGO} tokens"
        )
    OIDC_RP_SCOPES = os.environ.get("KLANTOCRATIE_OIDC_SCOPES", "openid email profile")
# Claim holding "organisation:role" entries that become memberships at login.
OIDC_ROLES_CLAIM = os.environ.get("KLANTOCRATIE_OIDC_ROLES_CLAIM", "klantocratie_roles")
# Claim with the BSN of a resident logging in through a DigiD broker; such a login
# becomes a resident membership at OIDC_RESIDENT_ORGANISATION, tied to their own party.
OIDC_BSN_CLAIM = os.environ.get("KLANTOCRATIE_OIDC_BSN_CLAIM", "")
# Claim with the KvK number of a business logging in through an eHerkenning broker.
OIDC_KVK_CLAIM = os.environ.get("KLANTOCRATIE_OIDC_KVK_CLAIM", "")
OIDC_RESIDENT_ORGANISATION = os.environ.get("KLANTOCRATIE_OIDC_RESIDENT_ORGANISATION", "")
# The processing activity each role works under by default (a JSON object overrides it).
DEFAULT_ACTIVITY_BY_ROLE: dict[str, str] = {
    "kcc_agent": "kcc-dienstverlening",
    "case_worker": "zaakbehandeling",
    "social_worker": "sociaal-domein",
    "policy_analyst": "beleidsanalyse",
    "privacy_officer": "privacy-toezicht",
    "resident": "inzage-eigen-gegevens",
    **json.loads(os.environ.get("KLANTOCRATIE_DEFAULT_ACTIVITY_BY_ROLE", "{}")),
}

# --- REST API ------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.BasicAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["klantocratie.accounts.permissions.HasActiveMembership"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
        "rest_framework.filters.SearchFilter",
    ],
    "EXCEPTION_HANDLER": "klantocratie.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "klantocratie API",
    "DESCRIPTION": "Integral client view and registry behind one privacy gate.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
}

# --- Background work -----------------------------------------------------------------
CELERY_BROKER_URL = os.environ.get("KLANTOCRATIE_CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BEAT_SCHEDULE = {
    "deliver-pending-source-changes": {
        "task": "klantocratie.connectors.tasks.deliver_pending_changes",
        "schedule": 30.0,
    },
    "expire-unanswered-offers": {
        "task": "klantocratie.cases.tasks.expire_offers",
        "schedule": 3600.0,
    },
    # Catches events whose after-commit delivery failed (a handler error, a lost worker).
    "publish-pending-events": {
        "task": "klantocratie.events.tasks.publish_events",
        "schedule": 60.0,
    },
    # Events re-evaluate the parties they touch at once; the nightly run catches what
    # changed in the sources without an event (a partner's bulk update).
    "run-signal-rules": {
        "task": "klantocratie.signals.run_rules",
        "schedule": crontab(hour=2, minute=0),
    },
    # Trends count whole ISO weeks: refresh once the week is complete.
    "refresh-area-trends": {
        "task": "klantocratie.trends.refresh",
        "schedule": crontab(day_of_week=1, hour=4, minute=0),
    },
    "purge-import-rejects": {
        "task": "klantocratie.imports.tasks.purge_rejects",
        "schedule": crontab(hour=3, minute=45),
    },
    "purge-expired-signals": {
        "task": "klantocratie.signals.purge_expired",
        "schedule": crontab(hour=3, minute=30),
    },
}

# --- Sources -------------------------------------------------------------------------
# Default time a connector may take before its source is shown as unavailable.
SOURCE_TIMEOUT_SECONDS = float(os.environ.get("KLANTOCRATIE_SOURCE_TIMEOUT", "2.0"))
# Retry schedule of the source-change outbox: wait base * 2**attempt, capped.
OUTBOX_RETRY_BASE_SECONDS = 15
OUTBOX_RETRY_MAX_SECONDS = 3600

# --- Contact registry ----------------------------------------------------------------
# The personal-choice purpose every signal rule's activity must honour: one objection
# to proactive outreach stops it at all organisations at once.
PROACTIVE_OUTREACH_PURPOSE = "proactieve-dienstverlening"
# Analytic snapshots (Parquet files of pseudonymised facts) for signals and trends.
ANALYTICS_DIR = Path(os.environ.get("KLANTOCRATIE_ANALYTICS_DIR", VAR_DIR / "analytics"))
# Area trends: no published cell below TRENDS_MIN_CELL persons and events; weeks kept;
# a spike is the last TRENDS_SPIKE_WEEKS against the ones before, by TRENDS_SPIKE_RATIO.
TRENDS_MIN_CELL = int(os.environ.get("KLANTOCRATIE_TRENDS_MIN_CELL", "10"))
TRENDS_WEEKS = int(os.environ.get("KLANTOCRATIE_TRENDS_WEEKS", "52"))
TRENDS_SPIKE_WEEKS = int(os.environ.get("KLANTOCRATIE_TRENDS_SPIKE_WEEKS", "8"))
TRENDS_SPIKE_RATIO = float(os.environ.get("KLANTOCRATIE_TRENDS_SPIKE_RATIO", "2.0"))
# ... and only a rise that chance would explain less than this often (binomial test).
TRENDS_SPIKE_P = float(os.environ.get("KLANTOCRATIE_TRENDS_SPIKE_P", "0.001"))
# Snapshots hold pseudonymised personal data: kept long enough to repeat a run, no longer.
ANALYTICS_SNAPSHOT_RETENTION_DAYS = int(
    os.environ.get("KLANTOCRATIE_ANALYTICS_SNAPSHOT_RETENTION_DAYS", "31")
)
MEDIA_ROOT = Path(os.environ.get("KLANTOCRATIE_MEDIA_ROOT", VAR_DIR / "media"))
# Linking partner records without a BSN: a link is automatic at or above the upper
# match probability, waits for a reviewer from the lower one, and is not made below it.
# A source's config may set its own ({"koppeling": {"boven": 0.995, "onder": 0.7}}).
# Rejects files of partner imports hold the refused rows (personal data): kept long
# enough for the partner to correct and re-deliver them, then deleted.
IMPORT_REJECTS_RETENTION_DAYS = int(
    os.environ.get("KLANTOCRATIE_IMPORT_REJECTS_RETENTION_DAYS", "30")
)
LINKAGE_UPPER_THRESHOLD = float(os.environ.get("KLANTOCRATIE_LINKAGE_UPPER", "0.99"))
LINKAGE_LOWER_THRESHOLD = float(os.environ.get("KLANTOCRATIE_LINKAGE_LOWER", "0.5"))
# A runner-up within this many match-weight points (bits) makes the best candidate
# ambiguous: never automatic, always reviewed.
LINKAGE_AMBIGUITY_MARGIN = float(os.environ.get("KLANTOCRATIE_LINKAGE_AMBIGUITY", "4.0"))

# --- E-mail to residents (case status notices) ---------------------------------------
# Without an SMTP host, messages are written as files to var/mail for inspection.
EMAIL_HOST = os.environ.get("KLANTOCRATIE_EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("KLANTOCRATIE_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("KLANTOCRATIE_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("KLANTOCRATIE_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = EMAIL_HOST != ""
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.filebased.EmailBackend"
)
EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = os.environ.get("KLANTOCRATIE_DEFAULT_FROM_EMAIL", "noreply@klantocratie.local")
# Largest file accepted as an attachment of a contact (a scanned letter, an e-mail).
KLANTOCRATIE_ATTACHMENT_MAX_BYTES = int(
    os.environ.get("KLANTOCRATIE_ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024))
)
# Content types accepted as attachments; files are recognised by their content, not name.
KLANTOCRATIE_ATTACHMENT_TYPES = os.environ.get(
    "KLANTOCRATIE_ATTACHMENT_TYPES", "application/pdf,image/jpeg,image/png,message/rfc822"
).split(",")

# Demo pack location and demo login switcher.
DEMO_PACK_DIR = BASE_DIR / "packs" / "almelo"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("KLANTOCRATIE_LOG_LEVEL", "WARNING")},
}
