"""Settings, read from the environment in this one place.

With no variable set, the embedded default runs: SQLite, Celery tasks run eagerly in-process,
console email and local media. DATABASE_URL and REDIS_URL switch on PostgreSQL and a real broker.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-embedded-demo-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "pic.apps.PicAdminConfig",  # django.contrib.admin, its login handed to allauth
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "csp",
    "allauth.usersessions",
    "guardian",
    "import_export",
    "pic",
    "neighbourhoods",
    "proposals",
    "governance",
    "reporting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Headers on every response below, redirects included (docs/security.md).
    "pic.middleware.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "pic.middleware.PreferredLanguageMiddleware",
    "pic.files.RequestBodyLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "pic.mfa.MFARequiredMiddleware",
    "pic.sessions.UserSessionsMiddleware",
]

ROOT_URLCONF = "pic.urls"
WSGI_APPLICATION = "pic.wsgi.application"

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
                "django.template.context_processors.i18n",
                "reporting.context_processors.navigation",
            ],
        },
    },
]

# Database: SQLite unless DATABASE_URL names another (postgres://… uses psycopg 3). PostgreSQL
# connections: kept CONN_MAX_AGE seconds, or from a psycopg pool (PIC_DB_POOL_MAX_SIZE), or
# through PgBouncer (PIC_DB_PGBOUNCER): README, "Scaling out".
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(env("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["ATOMIC_REQUESTS"] = False
    if env("PIC_DB_POOL_MAX_SIZE"):
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": int(env("PIC_DB_POOL_MIN_SIZE", "1")),
            "max_size": int(env("PIC_DB_POOL_MAX_SIZE")),
            "timeout": int(env("PIC_DB_POOL_TIMEOUT", "10")),
        }
    if env_bool("PIC_DB_PGBOUNCER", False):
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "pic.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

# django-allauth: email is the login; no public sign-up (people join by invitation).
ACCOUNT_ADAPTER = "pic.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "change_password": "5/m/user",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "PIC grants"

# --- One door in, with MFA (issue 8) ------------------------------------------------------
# Who must set up two-factor authentication (pic/mfa.py applies it): with the switch on (by
# default outside the demo), every person who reads beyond their own neighbourhood, each role
# group on unless its own variable turns it off.
PIC_REQUIRE_STAFF_MFA = env_bool("PIC_REQUIRE_STAFF_MFA", not DEBUG)
PIC_MFA_REQUIRED = {
    "coordination": env_bool("PIC_MFA_REQUIRED_COORDINATION", True),
    "advisor": env_bool("PIC_MFA_REQUIRED_ADVISORS", True),
    "committee": env_bool("PIC_MFA_REQUIRED_COMMITTEE", True),
    "partner": env_bool("PIC_MFA_REQUIRED_PARTNERS", True),
    "superuser": env_bool("PIC_MFA_REQUIRED_SUPERUSERS", True),
}
# TOTP secrets and recovery-code seeds are encrypted at rest (Fernet): comma-separated keys,
# the first encrypts, all decrypt (rotation). Required in production.
MFA_ADAPTER = "pic.mfa.MFAAdapter"
PIC_MFA_ENCRYPTION_KEYS = env_list("PIC_MFA_ENCRYPTION_KEYS")
if not PIC_MFA_ENCRYPTION_KEYS:
    if not DEBUG:
        raise ImproperlyConfigured("PIC_MFA_ENCRYPTION_KEYS must be set when DEBUG is off.")
    import base64
    import hashlib

    PIC_MFA_ENCRYPTION_KEYS = [base64.urlsafe_b64encode(
        hashlib.sha256(f"pic.mfa:{SECRET_KEY}".encode()).digest()).decode()]
try:
    from cryptography.fernet import Fernet

    [Fernet(key.encode()) for key in PIC_MFA_ENCRYPTION_KEYS]
except ValueError as exc:
    raise ImproperlyConfigured("PIC_MFA_ENCRYPTION_KEYS holds a key that is not a Fernet key "
                               "(32 bytes, URL-safe base64).") from exc
# Login throttling: failures count per account (key) and, more loosely, per client IP, so that
# one person's mistakes never lock out everyone behind the same proxy. The client IP is read
# behind this many trusted proxies (X-Forwarded-For), or from a header a trusted proxy sets.
ACCOUNT_RATE_LIMITS["login_failed"] = env("PIC_LOGIN_FAILED_RATE", "50/5m/ip,5/5m/key")
ALLAUTH_TRUSTED_PROXY_COUNT = int(env("ALLAUTH_TRUSTED_PROXY_COUNT", "0"))
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env("ALLAUTH_TRUSTED_CLIENT_IP_HEADER") or None
# Active sessions (allauth.usersessions): last seen refreshed at most every few minutes.
USERSESSIONS_TRACK_ACTIVITY = True
PIC_SESSION_SEEN_EVERY_SECONDS = 300
# --- end of "one door in" ------------------------------------------------------------------

# django-guardian: no anonymous user object (the custom user has no username).
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "America/Toronto"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
# Uploaded documents are private: never served by URL, only through permission-checked views.
PRIVATE_MEDIA_ROOT = MEDIA_ROOT / "private"
# Uploads: above 2.5 MB to a temporary file; form fields at most 10 MB; a body above
# PIC_REQUEST_MAX_MB refused (413) unread; Office files (ZIP) bounded unpacked and by ratio.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 10_485_760
DATA_UPLOAD_MAX_NUMBER_FILES = 10
PIC_REQUEST_MAX_BYTES = int(env("PIC_REQUEST_MAX_MB", "15")) * 1024 * 1024
PIC_UPLOAD_MAX_UNPACKED_BYTES = int(env("PIC_UPLOAD_MAX_UNPACKED_MB", "100")) * 1024 * 1024
PIC_UPLOAD_MAX_COMPRESSION_RATIO = int(env("PIC_UPLOAD_MAX_COMPRESSION_RATIO", "100"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Every private file: FileFields name pic.storage.private_storage, which looks this entry
    # up (PIC_S3_BUCKET switches it to a bucket, below).
    "private": {"BACKEND": "pic.storage.PrivateFileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# PIC_S3_BUCKET: private files in an S3-compatible bucket (django-storages), no ACL, no URL:
# the app still serves them itself, after its permission check.
if env("PIC_S3_BUCKET"):
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("PIC_S3_BUCKET"),
            "endpoint_url": env("PIC_S3_ENDPOINT_URL") or None,
            "region_name": env("PIC_S3_REGION") or None,
            "access_key": env("PIC_S3_ACCESS_KEY_ID") or None,
            "secret_key": env("PIC_S3_SECRET_ACCESS_KEY") or None,
            "location": env("PIC_S3_PREFIX", "private"),
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
            "addressing_style": env("PIC_S3_ADDRESSING_STYLE") or None,
        },
    }

# Email: console unless EMAIL_HOST is set.
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "PIC Centraide <pic@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if env("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env("EMAIL_HOST")
    EMAIL_PORT = int(env("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = env("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# Celery: a real broker when REDIS_URL is set, otherwise tasks run eagerly in-process.
REDIS_URL = env("REDIS_URL")
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE: dict = {}  # periodic tasks are registered in pic/schedule.py
# Worker faults: a task is acknowledged after it ran (acks_late); one killed with its pool
# child is requeued when the task says it is idempotent (reject_on_worker_lost, set per task);
# a worker killed outright leaves its unacknowledged tasks to Redis, which hands them out again
# after the visibility timeout (and the outbox sweep sends them again sooner). Every task has
# a soft and a hard time limit, both below the visibility timeout, so a task still running is
# never handed to a second worker. One task reserved per worker process at a time.
CELERY_BROKER_VISIBILITY_TIMEOUT = int(env("CELERY_BROKER_VISIBILITY_TIMEOUT", "900"))
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_BROKER_VISIBILITY_TIMEOUT,
                                   "socket_connect_timeout": 2}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_TIME_LIMIT = int(env("CELERY_TASK_TIME_LIMIT", "300"))
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 30
if CELERY_TASK_TIME_LIMIT >= CELERY_BROKER_VISIBILITY_TIMEOUT:
    raise ImproperlyConfigured("CELERY_TASK_TIME_LIMIT must be below "
                               "CELERY_BROKER_VISIBILITY_TIMEOUT.")
CELERY_TASK_REJECT_ON_WORKER_LOST = False  # True only on the idempotent tasks (their decorator)
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# The outbox (pic/outbox.py): seconds before a pending row is enqueued again, doubling per
# attempt up to 5 minutes.
PIC_OUTBOX_RETRY_SECONDS = int(env("PIC_OUTBOX_RETRY_SECONDS", "60"))

if REDIS_URL:
    # Redis down: the database cache table and a warning, never a 500 (pic/cache.py).
    CACHES = {"default": {"BACKEND": "pic.cache.FallbackRedisCache", "LOCATION": REDIS_URL,
                          "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}}
else:
    # A cache every process shares (used TOTP codes, login rate limits): the database's
    # table pic_cache, created by pic's migration 0002_shared_cache_table.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                          "LOCATION": "pic_cache",
                          "OPTIONS": {"MAX_ENTRIES": 100_000}}}

# Backups (manage.py backup/restore): the folder of pg_dump and pg_restore, of the server's
# major version (Debian installs several side by side).
_PG15 = "/usr/lib/postgresql/15/bin"
PIC_PG_BIN_DIR = env("PIC_PG_BIN_DIR", _PG15 if Path(_PG15).exists() else "")

# The site's address, for links in emails sent by tasks (no request to take it from).
PIC_SITE_URL = env("PIC_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Decision letters: the letterhead (a static file for the logo, the sender's address, lines
# separated by « | ») and the signatory used when a program has none (governance/letters.py).
PIC_LETTERHEAD_NAME = env("PIC_LETTERHEAD_NAME", "Centraide du Grand Montréal")
PIC_LETTERHEAD_ADDRESS = env("PIC_LETTERHEAD_ADDRESS",
                             "493, rue Sherbrooke Ouest | Montréal (Québec) H3A 1B6")
PIC_LETTERHEAD_LOGO = env("PIC_LETTERHEAD_LOGO", "")
PIC_LETTER_SIGNATORY_NAME = env("PIC_LETTER_SIGNATORY_NAME", "")
PIC_LETTER_SIGNATORY_TITLE = env("PIC_LETTER_SIGNATORY_TITLE", "")

# 360Giving open data: the publisher's identifiers (register real ones before publishing).
PIC_360G_PREFIX = env("PIC_360G_PREFIX", "360G-pic")
PIC_360G_FUNDER_ID = env("PIC_360G_FUNDER_ID", "XI-PIC-CENTRAIDE-GM")
PIC_360G_FUNDER_NAME = env("PIC_360G_FUNDER_NAME", "Centraide du Grand Montréal")

# Background exports and imports: their files (private storage) are deleted after this many days.
PIC_EXPORT_KEEP_DAYS = int(env("PIC_EXPORT_KEEP_DAYS", "7"))

# Invitations: how long the emailed link stays valid.
PIC_INVITATION_MAX_AGE_DAYS = int(env("PIC_INVITATION_MAX_AGE_DAYS", "14"))

# Quebec Law 25: the privacy officer (named on the privacy page) and how long an inactive
# person is kept before being anonymised (an empty variable means the default).
PIC_PRIVACY_OFFICER_NAME = env("PIC_PRIVACY_OFFICER_NAME") or (
    "Responsable de la protection des renseignements personnels (démo)")
PIC_PRIVACY_OFFICER_EMAIL = env("PIC_PRIVACY_OFFICER_EMAIL") or "vie.privee@example.org"
PIC_RETENTION_INACTIVE_YEARS = int(env("PIC_RETENTION_INACTIVE_YEARS") or "7")

# Security: production (DEBUG off) gets the settings `check --deploy` asks for.
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # Cookie prefixes: "__Host-" cookies are refused by browsers unless Secure, Path=/ and
    # with no Domain, so no other host (a subdomain, a plain-HTTP site) can set or replace them.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    LANGUAGE_COOKIE_SECURE = True

# Headers and content security policy (docs/security.md). Scripts and styles come only from
# our own static files: no inline script, style attribute or event handler anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # data: only for images: the QR code of the two-factor set-up is a data: SVG.
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Added by pic.middleware.SecurityHeadersMiddleware to every response.
PIC_CROSS_ORIGIN_RESOURCE_POLICY = "same-origin"
PIC_PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
}

from pic.schedule import BEAT_SCHEDULE  # noqa: E402

CELERY_BEAT_SCHEDULE = BEAT_SCHEDULE
