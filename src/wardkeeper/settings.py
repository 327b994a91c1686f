"""Django settings. Every knob is a ``WARDKEEPER_*`` variable; see .env.example."""

from __future__ import annotations

import base64
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from wardkeeper import env

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env.string("DATA_DIR", "wardkeeper-data")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _generated_secret(name: str, size: int) -> str:
    """Read a secret kept in the data directory, generating it (mode 0600) once."""
    path = DATA_DIR / name
    if not path.exists():
        try:
            with path.open("xb") as handle:
                path.chmod(0o600)
                handle.write(base64.urlsafe_b64encode(secrets.token_bytes(size)))
        except FileExistsError:
            pass  # another process created it first; read theirs
    return path.read_text(encoding="ascii").strip()


SECRET_KEY = env.raw("SECRET_KEY") or _generated_secret("secret.key", 48)
# Fernet keys for encrypted fields: the first encrypts, every key decrypts, so a
# key can be rotated by putting the new one first.
FIELD_ENCRYPTION_KEYS = env.string_list("FIELD_ENCRYPTION_KEYS", []) or [
    _generated_secret("field-encryption.key", 32)
]

DEBUG = env.boolean("DEBUG", False)
ALLOWED_HOSTS = env.string_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.string_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env.string("SITE_URL", "http://localhost:8000").rstrip("/")

# Outgoing e-mail (notifications) through an SMTP relay of the hospital's.
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env.string("EMAIL_HOST", "localhost")
EMAIL_PORT = env.integer("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env.string("EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env.raw("EMAIL_PASSWORD") or ""
EMAIL_USE_TLS = env.boolean("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env.boolean("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env.string("EMAIL_FROM", "wardkeeper@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# A delivery is tried this many times (back-off 1, 2, 4 … 60 minutes) before
# it is given up.
NOTIFY_MAX_ATTEMPTS = env.integer("NOTIFY_MAX_ATTEMPTS", 8, minimum=1)

# Monitoring: raw results are kept this many days (roll-ups for years); a
# recovered check must stay up this long before its ticket is resolved; the
# monitor reloads checks this often; the engine's limits.
MONITOR_RAW_DAYS = env.integer("MONITOR_RAW_DAYS", 30, minimum=1)
MONITOR_RECOVERY_MINUTES = env.integer("MONITOR_RECOVERY_MINUTES", 10, minimum=0)
MONITOR_RESOLUTION_CODE = env.string("MONITOR_RESOLUTION_CODE", "recovered")
MONITOR_RELOAD_SECONDS = env.integer("MONITOR_RELOAD_SECONDS", 10, minimum=1)
MONITOR_FULL_RELOAD_SECONDS = env.integer("MONITOR_FULL_RELOAD_SECONDS", 300, minimum=1)
MONITOR_CONCURRENCY = env.integer("MONITOR_CONCURRENCY", 1000, minimum=1)
MONITOR_PER_HOST = env.integer("MONITOR_PER_HOST", 2, minimum=1)
MONITOR_MIN_HOST_GAP = env.number("MONITOR_MIN_HOST_GAP", 0.0, minimum=0)
MONITOR_BATCH_SIZE = env.integer("MONITOR_BATCH_SIZE", 500, minimum=1)
MONITOR_FLUSH_SECONDS = env.number("MONITOR_FLUSH_SECONDS", 1.0, minimum=0.05)
CONTINUITY_READ_MINUTES = env.integer("CONTINUITY_READ_MINUTES", 15, minimum=1)
CONTINUITY_READ_TIMEOUT = env.integer("CONTINUITY_READ_TIMEOUT", 300, minimum=1)
CONTINUITY_RESTIC = env.string("CONTINUITY_RESTIC", "restic")
CONTINUITY_BORG = env.string("CONTINUITY_BORG", "borg")
# The demo makes small real restic/borg repositories for its jobs (when the
# tools are installed), so reads and restore tests work on it.
CONTINUITY_DEMO_REPOSITORIES = env.boolean("CONTINUITY_DEMO_REPOSITORIES", True)
CONTINUITY_HOOK_RATE = env.string("CONTINUITY_HOOK_RATE", "120/min")
# The backup job that `wardkeeper backup` reports its own runs to (0: none).
CONTINUITY_OWN_BACKUP_JOB = env.integer("CONTINUITY_OWN_BACKUP_JOB", 0, minimum=0)
CONTINUITY_SCRATCH_DIR = Path(
    env.string("CONTINUITY_SCRATCH_DIR", str(DATA_DIR / "restore-scratch"))
).resolve()
CONTINUITY_PG_RESTORE_URL = env.string(
    "CONTINUITY_PG_RESTORE_URL", "postgresql://localhost:5432/postgres"
)
CONTINUITY_RESTORE_TIMEOUT_SECONDS = env.integer(
    "CONTINUITY_RESTORE_TIMEOUT_SECONDS", 21600, minimum=60
)
MONITOR_RAW_FLUSH_SECONDS = env.number("MONITOR_RAW_FLUSH_SECONDS", 60.0, minimum=0)
# Seconds between a remote poller's heartbeats; silent for 3 of them: offline.
MONITOR_POLLER_HEARTBEAT_SECONDS = env.integer(
    "MONITOR_POLLER_HEARTBEAT_SECONDS", 30, minimum=5
)
# Seconds between the segmentation checks derived from the flow policy.
NETWORK_SEGMENTATION_INTERVAL = env.integer(
    "NETWORK_SEGMENTATION_INTERVAL", 300, minimum=10
)
# Days of interface traffic samples kept (SNMP counters → rates).
NETWORK_SAMPLE_DAYS = env.integer("NETWORK_SAMPLE_DAYS", 30, minimum=1)
MLLP_LISTEN = env.string_list("MLLP_LISTEN", [])  # "[HOST:]PORT[=NAME]", …

# Service desk: a problem candidate is an asset (or model) with this many
# faults within this many days.
PROBLEM_TICKETS = env.integer("PROBLEM_TICKETS", 3)
PROBLEM_DAYS = env.integer("PROBLEM_DAYS", 30)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "wardkeeper.core",
    "wardkeeper.inventory",
    "wardkeeper.servicedesk",
    "wardkeeper.monitoring",
    "wardkeeper.network",
    "wardkeeper.continuity",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wardkeeper.core.middleware.AuditContextMiddleware",
    "wardkeeper.core.middleware.MfaEnrolmentMiddleware",
    # Axes goes last so it sees the outcome of every authentication attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "wardkeeper.urls"
WSGI_APPLICATION = "wardkeeper.wsgi.application"
AUTH_USER_MODEL = "core.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wardkeeper.core.context_processors.navigation",
            ],
        },
    }
]

# Database: SQLite in the data directory unless a URL names another server.
DATABASE_URL = env.string("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "wardkeeper.sqlite3"),
            "OPTIONS": {
                # IMMEDIATE takes the write lock when a transaction starts, so two
                # writers queue on the busy timeout instead of failing on upgrade.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; PRAGMA cache_size=-65536;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_MIN_LENGTH = env.integer("PASSWORD_MIN_LENGTH", 12, minimum=8)
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "wardkeeper.core.passwords.CharacterClassValidator"},
]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:login"

# Idle sessions end: the cookie's age restarts on every request.
SESSION_IDLE_MINUTES = env.integer("SESSION_IDLE_MINUTES", 15, minimum=1)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Login throttling (django-axes): lock the account and address pair after
# repeated failures, for a while.
AXES_FAILURE_LIMIT = env.integer("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env.integer("LOGIN_LOCKOUT_MINUTES", 15, minimum=1) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
AXES_VERBOSE = False

# The audit trail: entries younger than this are never pruned (floor: 180 days).
AUDIT_RETENTION_DAYS = env.integer("AUDIT_RETENTION_DAYS", 365, minimum=180)
MFA_ISSUER = env.string("MFA_ISSUER", "Wardkeeper")
API_TOKEN_DEFAULT_DAYS = env.integer("API_TOKEN_DAYS", 90, minimum=1)
UPLOAD_MAX_MB = env.integer("UPLOAD_MAX_MB", 25, minimum=1)
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_MB * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

LANGUAGE_CODE = env.string("LANGUAGE", "en")
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.string("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Serve straight from the finders when collectstatic has not run (tests, DEBUG).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = DATA_DIR / "uploads"
MEDIA_URL = "/media/"

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Behind TLS (the deployment guide's reverse proxy), cookies must be secure and
# HSTS on; plain HTTP on a closed ward network is the default.
HTTPS = env.boolean("HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Without TLS the deploy checks about it are moot; they are re-enabled with HTTPS.
SILENCED_SYSTEM_CHECKS = (
    []
    if HTTPS
    else [
        "security.W004",
        "security.W008",
        "security.W012",
        "security.W016",
        "security.W021",
    ]
)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "wardkeeper.core.api_auth.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["wardkeeper.core.api_permissions.ModelPermissions"],
    "DEFAULT_PAGINATION_CLASS": "wardkeeper.core.api_pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "wardkeeper.core.api_errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Wardkeeper API",
    "DESCRIPTION": "The operations platform of a hospital's IT department.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Operation ids are named after the path below /api/ (assets_list), also
    # when a view outside /api/ (the backup webhook) is seen and left out.
    "SCHEMA_PATH_PREFIX": r"/api/",
    "SWAGGER_UI_DIST": "/static/vendor/swagger-ui",
    "SWAGGER_UI_FAVICON_HREF": "/static/wardkeeper/favicon.svg",
    # One schema name per choice set that several fields share (status, from,
    # to; a room's criticality and an asset's override).
    "ENUM_NAME_OVERRIDES": {
        "AssetStatusEnum": "wardkeeper.inventory.choices.AssetStatus",
        "CriticalityEnum": "wardkeeper.inventory.choices.Criticality",
        "StocktakeStatusEnum": "wardkeeper.inventory.choices.StocktakeStatus",
        "TicketCategoryEnum": "wardkeeper.servicedesk.choices.Category",
        "MaintenanceKindEnum": "wardkeeper.servicedesk.choices.MaintenanceKind",
        "TicketPriorityEnum": "wardkeeper.servicedesk.choices.Priority",
        "TicketStateEnum": "wardkeeper.servicedesk.choices.TicketState",
        "TicketSourceEnum": "wardkeeper.servicedesk.choices.Source",
        "AuditSourceEnum": "wardkeeper.core.models.audit.AuditSource",
        "AuditActionEnum": "wardkeeper.core.models.audit.AuditAction",
        "FlowActionEnum": "wardkeeper.network.choices.FlowAction",
        "RestoreMethodEnum": "wardkeeper.continuity.choices.RestoreMethod",
        "WipeMethodEnum": "wardkeeper.inventory.choices.WipeMethod",
        "BackupRunStatusEnum": "wardkeeper.continuity.choices.RunStatus",
        "RestoreRunStatusEnum": "wardkeeper.continuity.choices.ProofStatus",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "wardkeeper.api.error_responses",  # the one error body on every operation
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    },
    # Backup webhook tokens never reach the log (continuity/logging.py).
    "filters": {"hook_tokens": {"()": "wardkeeper.continuity.logging.HookTokenFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["hook_tokens"],
        }
    },
    "root": {"handlers": ["console"], "level": env.string("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
