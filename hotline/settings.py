"""Settings, all read from the environment (see README "Configuration").

Defaults are the embedded ones: SQLite, jobs in-process, texts printed to the console.
"""

import datetime
from pathlib import Path

import environ
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

from hotline.database import database_settings

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

# A developer's own settings: `make run` writes .env.local (DEBUG and a generated SECRET_KEY),
# so the README's manage.py commands work as written. Variables already set in the
# environment win; docker compose never reads this file.
LOCAL_ENV_FILE = Path(env.str("HOTLINE_ENV_FILE", default=str(BASE_DIR / ".env.local")))
if LOCAL_ENV_FILE.is_file():
    environ.Env.read_env(LOCAL_ENV_FILE)

DEBUG = env.bool("DEBUG", default=False)

_DEV_SECRET_KEY = "dev-only-insecure-key-never-use-in-production"
SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is false.")

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)

INSTALLED_APPS = [
    "hotline.apps.HotlineAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "simple_history",
    "import_export",
    "axes",
    "hotline",
    "routing",
    "cases",
]

MIDDLEWARE = [
    "hotline.middleware.RequestIdMiddleware",
    "hotline.middleware.OpsEndpointsMiddleware",
    "hotline.middleware.WebhookLatencyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "hotline.security.RejectNulBytesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Failed staff logins: after AXES_FAILURE_LIMIT tries for one username from one address, that
# pair is locked out for AXES_COOLOFF_MINUTES.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
# Not the "AXES: BEGIN ..." banner at the start of every process and management command.
AXES_VERBOSE = False
# Proxies in front of gunicorn that append to X-Forwarded-For (the compose nginx is one, a TLS
# proxy before it another): the client address for throttling is taken from there.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "hotline.security.client_address"

ROOT_URLCONF = "hotline.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "hotline.wsgi.application"

DATABASES = {
    "default": database_settings(
        env.str("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env.int("CONN_MAX_AGE", default=60),
    )
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "America/New_York"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

REDIS_URL = env.str("REDIS_URL", default="")

if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: without a broker, tasks run in-process so the embedded set-up needs no Redis.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Celery closes the database connections every this many tasks; between, connections follow
# Django's rules (CONN_MAX_AGE, closed after an error), applied in hotline/celery.py.
CELERY_DB_REUSE_MAX = env.int("CELERY_DB_REUSE_MAX", default=1000)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="hotline")
# Fail fast when Redis is down: the webhook answers anyway and the outbox sweeper sends later.
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 2}
CELERY_BROKER_CONNECTION_TIMEOUT = 1
# Workers keep the LOGGING below (JSON, redaction) instead of replacing the root handler.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# How often beat sweeps the outbox; the sweep also leaves alone what is younger than this.
OUTBOX_SWEEP_SECONDS = env.int("OUTBOX_SWEEP_SECONDS", default=30)
CELERY_BEAT_SCHEDULE = {
    "sweep-outbox": {"task": "cases.tasks.sweep_outbox", "schedule": OUTBOX_SWEEP_SECONDS},
    "purge-personal-data": {"task": "cases.tasks.purge_personal_data", "schedule": 6 * 3600},
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["staff.api.StaffModelPermissions"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "staff.api.StrictLimitOffsetPagination",
    # JSON only: form encodings would turn an empty field into null behind the client's back.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "PAGE_SIZE": 100,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # A domain conflict is a 409 and a model's validation error a 400, in every view.
    "EXCEPTION_HANDLER": "staff.errors.api_exception_handler",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Child support hotline: staff API",
    "DESCRIPTION": "Reciprocity data, guidance, conversations and handoffs for hotline staff.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from the project's own static files (drf-spectacular-sidecar), not a CDN:
    # /api/docs/ works offline and loads nothing from the internet.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Twilio (contract §2). Unset credentials mean the console sender.
TWILIO_ACCOUNT_SID = env.str("TWILIO_ACCOUNT_SID", default="")
# Webhook signatures are always checked; a local DEBUG set-up signs with a dev token so the
# `chat` command works without a Twilio account.
TWILIO_AUTH_TOKEN = env.str("TWILIO_AUTH_TOKEN", default="dev-auth-token" if DEBUG else "")
TWILIO_FROM_NUMBER = env.str("TWILIO_FROM_NUMBER", default="")
TWILIO_MESSAGING_SERVICE_SID = env.str("TWILIO_MESSAGING_SERVICE_SID", default="")
TWILIO_API_BASE_URL = env.str("TWILIO_API_BASE_URL", default="")
PUBLIC_BASE_URL = env.str("PUBLIC_BASE_URL", default="").rstrip("/")
STAFF_PHONE_NUMBER = env.str("STAFF_PHONE_NUMBER", default="")

TWILIO_WHATSAPP_FROM = env.str(
    "TWILIO_WHATSAPP_FROM", default=f"whatsapp:{TWILIO_FROM_NUMBER}" if TWILIO_FROM_NUMBER else ""
)
# Approved WhatsApp template for texts outside the 24-hour window; unset: such texts are
# recorded as not sent.
TWILIO_WHATSAPP_TEMPLATE_SID = env.str("TWILIO_WHATSAPP_TEMPLATE_SID", default="")
TWILIO_TIMEOUT_SECONDS = env.float("TWILIO_TIMEOUT_SECONDS", default=10.0)
# What sends the outbox's texts (cases.sending): Twilio once credentials are set.
TEXT_SENDER = env.str(
    "TEXT_SENDER",
    default="hotline.twilio.sender.TwilioSender"
    if TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN
    else "cases.sending.ConsoleSender",
)

# Voices for the phone menu (Amazon Polly voices through Twilio), per language.
TWILIO_VOICE_EN = env.str("TWILIO_VOICE_EN", default="Polly.Joanna-Neural")
TWILIO_VOICE_ES = env.str("TWILIO_VOICE_ES", default="Polly.Lupe-Neural")
# Seconds a transferred call rings at STAFF_PHONE_NUMBER before the caller is sent to voicemail.
STAFF_DIAL_TIMEOUT_SECONDS = env.int("STAFF_DIAL_TIMEOUT_SECONDS", default=25)

# CSV import needs the model's "change" permission, export its "view" permission.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"

# The handoff queue highlights work waiting longer than this.
HANDOFF_URGENT_OVERDUE_MINUTES = env.int("HANDOFF_URGENT_OVERDUE_MINUTES", default=15)
HANDOFF_NORMAL_OVERDUE_BUSINESS_DAYS = env.int("HANDOFF_NORMAL_OVERDUE_BUSINESS_DAYS", default=1)

# Texts from one number beyond this many a minute get one "please slow down" and are dropped.
TEXTS_PER_MINUTE_PER_NUMBER = env.int("TEXTS_PER_MINUTE_PER_NUMBER", default=20)

# A conversation idle this long starts over with a short welcome back.
CONVERSATION_IDLE_HOURS = env.int("CONVERSATION_IDLE_HOURS", default=24)
# After this many texts from the caller a conversation is handed to a person: later texts are
# stored for staff and get no automatic answer (until it starts over after the idle hours).
CONVERSATION_MAX_TEXTS = env.int("CONVERSATION_MAX_TEXTS", default=200)

# Outbox: transient Twilio failures are retried for OUTBOX_RETRY_HOURS (backoff capped at
# OUTBOX_RETRY_MAX_SECONDS), and when a send with no answer is retried.
OUTBOX_RETRY_HOURS = env.float("OUTBOX_RETRY_HOURS", default=24.0)
OUTBOX_RETRY_BASE_SECONDS = env.float("OUTBOX_RETRY_BASE_SECONDS", default=2.0)
OUTBOX_RETRY_MAX_SECONDS = env.float("OUTBOX_RETRY_MAX_SECONDS", default=300.0)
OUTBOX_SENDING_TIMEOUT_MINUTES = env.int("OUTBOX_SENDING_TIMEOUT_MINUTES", default=10)

# Reference data: a verification older than this no longer counts (callers are told to confirm).
REFERENCE_STALE_DAYS = env.int("REFERENCE_STALE_DAYS", default=365)

# Follow-ups: the check-in after an outcome naming an agency, and when texts may go out.
CHECK_IN_DAYS = env.int("CHECK_IN_DAYS", default=7)
SEND_WINDOW_START_HOUR = env.int("SEND_WINDOW_START_HOUR", default=9)
SEND_WINDOW_END_HOUR = env.int("SEND_WINDOW_END_HOUR", default=20)

# Message bodies and phone numbers older than this are erased (outcome statistics stay).
RETENTION_DAYS = env.int("RETENTION_DAYS", default=365)

# New urgent handoffs are e-mailed here (comma-separated); EMAIL_URL picks the mail server.
HANDOFF_ALERT_EMAILS = env.list("HANDOFF_ALERT_EMAILS", default=[])
_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "localhost")
EMAIL_PORT = _email.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="hotline@localhost")
# A mail server that accepts and never answers must not hold a worker for ever.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT_SECONDS", default=10)

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
_PUBLIC_HTTPS = PUBLIC_BASE_URL.startswith("https://") and not DEBUG
# HSTS only where the public address is HTTPS (a year, as `check --deploy` expects).
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000 if _PUBLIC_HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=_PUBLIC_HTTPS)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=_PUBLIC_HTTPS)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if PUBLIC_BASE_URL.startswith("https") else None
)
SESSION_COOKIE_SECURE = not DEBUG and PUBLIC_BASE_URL.startswith("https")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_TRUSTED_ORIGINS = [PUBLIC_BASE_URL] if PUBLIC_BASE_URL else []

DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024

# Content-Security-Policy (django-csp): scripts only from this site, so text that slips into a
# page cannot run. Inline styles stay allowed (the admin and the queue's badges use them).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Logs: JSON lines in production (plain when DEBUG), with the request id; numbers and
# message bodies are redacted from every record (hotline/logging.py).
LOG_FORMAT = env.str("LOG_FORMAT", default="plain" if DEBUG else "json")
if LOG_FORMAT not in ("json", "plain"):
    raise ImproperlyConfigured("LOG_FORMAT must be json or plain.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "redact": {"()": "hotline.logging.RedactFilter"},
        "request_id": {"()": "hotline.logging.RequestIdFilter"},
    },
    "formatters": {
        "json": {"()": "hotline.logging.JsonFormatter"},
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id", "redact"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # Django's own handlers (console when DEBUG, mail to ADMINS) are dropped: its records go
    # through the root handler, redacted, like everything else. INFO even when LOG_LEVEL is
    # DEBUG: Django's SQL log has callers' numbers and texts as query values.
    "loggers": {
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": [], "level": "INFO", "propagate": True},
        # The twilio client writes a dozen INFO lines per API request.
        "twilio.http_client": {"level": "WARNING"},
    },
}

# /ready/ reuses its checks' results this many seconds (per process).
READY_CACHE_SECONDS = env.float("READY_CACHE_SECONDS", default=5.0)

# /metrics answers loopback and private addresses that no proxy forwarded, or
# "Authorization: Bearer <token>".
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
