"""Settings shared by every environment; each value that differs comes from the environment."""

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _
from js_asset import static_lazy

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = env("SECRET_KEY")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The client's real address: behind TRUSTED_PROXY_COUNT reverse proxies, the address they add to
# X-Forwarded-For; with none (the default), the connection's address, whatever a client claims.
TRUSTED_PROXY_COUNT = int(env("TRUSTED_PROXY_COUNT", "0"))

# The public origin used in canonical URLs, feeds, sitemaps and the PDF.
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "releases.apps.NewsroomAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "django_prose_editor",
    "django_tasks_db",
    "releases",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "releases.middleware.NotFoundNoStoreMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "releases.caching.KeptAnswersMiddleware",  # kept public answers, replayed before the rest runs
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # A release's frozen page, PDFs and media kit: the same for everyone, answered before the session exists.
    "releases.middleware.SameForEveryoneMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "releases.middleware.AdminLocaleMiddleware",  # the admin: the user's language cookie, else the browser's
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "django.template.context_processors.csp",
            ],
        },
    },
]

# Content-Security-Policy on every page, public and admin: scripts and styles from this site only (a nonce for
# what must stay inline), nothing framed, no plugin, forms posted here only.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [
        CSP.SELF,
        CSP.NONCE,
        # The rich-text editor (tiptap) injects this one stylesheet; simple-history's list pages carry this style.
        "'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='",
        CSP.UNSAFE_HASHES,
        "'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='",
    ],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.SELF],
}


def database_settings(url: str) -> dict:
    """The database of DATABASE_URL, configured to survive what databases do in production.

    - Connections are kept DATABASE_CONN_MAX_AGE seconds (default 60) and checked before each request reuses
      one (CONN_HEALTH_CHECKS): after a PostgreSQL restart or a dropped connection, the next request opens a
      new one instead of failing.
    - PostgreSQL: no statement runs longer than DATABASE_STATEMENT_TIMEOUT seconds (default 30; 0 for none),
      so one runaway query cannot hold a worker and its locks forever.
    - SQLite, the embedded default: write-ahead log, transactions that take the write lock when they begin
      (IMMEDIATE) and a busy timeout of DATABASE_BUSY_TIMEOUT seconds (default 20), so concurrent writers wait
      their turn instead of failing with "database is locked".
    """
    config = dj_database_url.parse(url, conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "60")), conn_health_checks=True)
    options = config.setdefault("OPTIONS", {})
    if config["ENGINE"] == "django.db.backends.postgresql":
        timeout_ms = int(float(env("DATABASE_STATEMENT_TIMEOUT", "30")) * 1000)
        options["options"] = f"{options.get('options', '')} -c statement_timeout={timeout_ms}".strip()
    elif config["ENGINE"] == "django.db.backends.sqlite3":
        options.update(
            {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": float(env("DATABASE_BUSY_TIMEOUT", "20")),
            }
        )
    return config


# PostgreSQL: the release page's and PDF's reads run as prepared statements (releases.prepared); off behind a
# PgBouncer older than 1.21 in transaction mode.
DATABASE_PREPARED_STATEMENTS = env_bool("DATABASE_PREPARED_STATEMENTS", True)

# SQLite under var/ unless DATABASE_URL names another database.
DATABASES = {"default": database_settings(env("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def cache_settings(url: str | None) -> dict:
    """A cache shared by every process (e.g. redis://127.0.0.1:6379/1) makes edits and withdrawals show at once
    on kept public answers and API throttles count across workers; without it each process keeps its own.

    Redis goes through `config.cache.ResilientRedisCache`: when Redis cannot be reached the site answers from
    the database (throttles count per process) and logs a warning once a minute, instead of failing.
    """
    if not url:
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if not url.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(f"CACHE_URL must be a redis://, rediss:// or unix:// URL, not {url.split(':')[0]}:.")
    return {
        "BACKEND": "config.cache.ResilientRedisCache",
        "LOCATION": url,
        "OPTIONS": {
            # Seconds Redis is left alone after a failure, and between two warnings about it.
            "RETRY_AFTER": float(env("CACHE_RETRY_SECONDS", "5")),
            "WARN_EVERY": float(env("CACHE_WARN_SECONDS", "60")),
            # Seconds one call may wait for Redis (connecting, then answering).
            "socket_connect_timeout": float(env("CACHE_TIMEOUT_SECONDS", "0.5")),
            "socket_timeout": float(env("CACHE_TIMEOUT_SECONDS", "0.5")),
        },
    }


CACHES = {"default": cache_settings(env("CACHE_URL"))}
# Seconds a public page, PDF or list may be answered from the cache (never past the next moment), and
# browsers may keep a list (max-age). 0: every answer from the database.
PUBLIC_CACHE_SECONDS = int(env("PUBLIC_CACHE_SECONDS", "30"))
# How often each process reads the shared generation again (a change elsewhere shows within it).
PUBLIC_CACHE_SYNC_SECONDS = float(env("PUBLIC_CACHE_SYNC_SECONDS", "0.2"))
# Memory each process gives to kept answers (the most recently used ones).
PUBLIC_CACHE_LOCAL_BYTES = int(env("PUBLIC_CACHE_LOCAL_BYTES", str(32 * 1024 * 1024)))
# Memory each process gives to the frozen pages and PDFs it serves (the most recently served): their bytes
# never change, so one held is served again while the database, asked on every request, names its SHA-256.
# 0: every answer reads its bytes from the database.
FROZEN_BYTES_MEMORY = int(env("FROZEN_BYTES_MEMORY", str(32 * 1024 * 1024)))
# Seconds a CDN may keep a public answer (s-maxage; never past the next moment the answer changes by the
# clock). Long only with CDN_PURGE_HOOK: without it, this is how late a withdrawal reaches the CDN's copies.
CDN_CACHE_SECONDS = int(env("CDN_CACHE_SECONDS", "30"))
# Dotted path of a callable given the surrogate keys to purge when a release that went out changes.
CDN_PURGE_HOOK = env("CDN_PURGE_HOOK", "")
# Seconds the lists' counts and years may be kept (releases.listing); exact while kept where the cache is shared.
LIST_COUNTS_SECONDS = int(env("LIST_COUNTS_SECONDS", "300"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
# The languages releases are written in: each has its URL prefix (/de/ …), feeds, sitemap entries, CLDR dates,
# a hyphenation dictionary and the words printed on a release (locale/<code>/). Any of Django's language codes.
CONTENT_LANGUAGES = env_list("CONTENT_LANGUAGES", "en,fr,de,it,es,nl,sv,fi,da")
# The interface (admin, newsroom chrome) is complete in these; elsewhere it falls back to English.
INTERFACE_LANGUAGES = ["en", "fr"]


# Language names as the interface writes them in a sentence ("The topic About is in German").
LANGUAGE_NAMES = {
    "en": _("English"),
    "fr": _("French"),
    "de": _("German"),
    "it": _("Italian"),
    "es": _("Spanish"),
    "nl": _("Dutch"),
    "sv": _("Swedish"),
    "fi": _("Finnish"),
    "da": _("Danish"),
    "pt": _("Portuguese"),
    "nb": _("Norwegian Bokmål"),
    "pl": _("Polish"),
}


def _language_names() -> list[tuple[str, str]]:
    from django.conf.locale import LANG_INFO

    codes = dict.fromkeys([*INTERFACE_LANGUAGES, *CONTENT_LANGUAGES])
    unknown = [code for code in codes if code not in LANG_INFO]
    if unknown:
        raise ImproperlyConfigured(f"CONTENT_LANGUAGES: unknown language code(s) {', '.join(unknown)}.")
    return [(code, LANGUAGE_NAMES[code] if code in LANGUAGE_NAMES else LANG_INFO[code]["name"]) for code in codes]


LANGUAGES = _language_names()
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "var" / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Uploads: images only, checked before they are kept.
MAX_UPLOAD_SIZE = int(env("MAX_UPLOAD_SIZE", str(10 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# PDF rendering bounds.
PDF_RENDER_TIMEOUT = float(env("PDF_RENDER_TIMEOUT", "60"))
# At most this much more memory (MB) per render, and this many renders at once on a machine.
PDF_RENDER_MEMORY_MB = int(env("PDF_RENDER_MEMORY_MB", "768"))
PDF_RENDER_SLOTS = int(env("PDF_RENDER_SLOTS", str(os.cpu_count() or 2)))
PDF_RENDER_SLOT_WAIT = float(env("PDF_RENDER_SLOT_WAIT", "10"))
PDF_RENDER_SLOT_DIR = env("PDF_RENDER_SLOT_DIR", str(BASE_DIR / "var" / "render-slots"))

REST_FRAMEWORK = {
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Newsroom API",
    "DESCRIPTION": "Press releases of listed life-science companies: compose, review, publish, read.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

LOGIN_URL = "admin:login"

# Password guessing: django-axes counts failed logins (admin, API tokens) in the database, shared by every
# worker, per client address and per username, and refuses more for a while.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = int(env("LOGIN_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(env("LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "releases.admin.views.lockout"
AXES_CLIENT_IP_CALLABLE = "releases.http.client_address"

# Background work (email alerts, webhooks): Django's tasks framework on django-tasks-db's database backend,
# run by `manage.py db_worker` (no other service needed; the same database as the site).
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}


# Outgoing mail (Django 6.1's MAILERS): EMAIL_URL such as smtp://user:password@host:587/?tls=true,
# smtps://host:465 (TLS from the start), console://, file:///var/mail or memory://; without it the usual
# EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS, EMAIL_USE_SSL variables.
def mailer_from_url(url: str) -> dict:
    from urllib.parse import parse_qs, unquote, urlsplit

    parts = urlsplit(url)
    query = {k: v[-1].lower() for k, v in parse_qs(parts.query).items()}
    if parts.scheme in ("smtp", "smtps", "submission"):
        options = {
            "host": parts.hostname or "localhost",
            "port": parts.port or {"smtp": 25, "smtps": 465, "submission": 587}[parts.scheme],
            "timeout": float(query.get("timeout", "20")),
        }
        if parts.username:
            options["username"] = unquote(parts.username)
            options["password"] = unquote(parts.password or "")
        if parts.scheme == "smtps" or query.get("ssl") in {"1", "true", "yes"}:
            options["use_ssl"] = True
        elif parts.scheme == "submission" or query.get("tls") in {"1", "true", "yes"}:
            options["use_tls"] = True
        return {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": options}
    if parts.scheme == "console":
        return {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parts.scheme == "file":
        return {"BACKEND": "django.core.mail.backends.filebased.EmailBackend", "OPTIONS": {"file_path": parts.path}}
    if parts.scheme in ("memory", "locmem"):
        return {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    raise ImproperlyConfigured(f"EMAIL_URL: unknown scheme {parts.scheme!r} (smtp, smtps, console, file, memory).")


def mailer_from_env() -> dict:
    options = {
        "host": env("EMAIL_HOST", "localhost"),
        "port": int(env("EMAIL_PORT", "25")),
        "timeout": float(env("EMAIL_TIMEOUT", "20")),
        "use_tls": env_bool("EMAIL_USE_TLS"),
        "use_ssl": env_bool("EMAIL_USE_SSL"),
    }
    if env("EMAIL_HOST_USER"):
        options["username"] = env("EMAIL_HOST_USER")
        options["password"] = env("EMAIL_HOST_PASSWORD", "")
    return {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": options}


MAILERS = {"default": mailer_from_url(env("EMAIL_URL")) if env("EMAIL_URL") else mailer_from_env()}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Newsroom <newsroom@localhost>")

# Email alerts and webhooks (releases.distribution).
DISTRIBUTION_FROM_EMAIL = env("DISTRIBUTION_FROM_EMAIL", DEFAULT_FROM_EMAIL)
DISTRIBUTION_CONFIRM_MAX_AGE = int(env("DISTRIBUTION_CONFIRM_MAX_AGE", str(3 * 24 * 3600)))  # link valid 3 days
DISTRIBUTION_SEND_TASKS = int(env("DISTRIBUTION_SEND_TASKS", "2"))  # senders started per dispatch
DISTRIBUTION_MAX_ATTEMPTS = int(env("DISTRIBUTION_MAX_ATTEMPTS", "5"))  # per message, on temporary errors
DISTRIBUTION_SWEEP_SECONDS = int(env("DISTRIBUTION_SWEEP_SECONDS", "60"))  # the catch-up pass
DISTRIBUTION_SWEEP_WINDOW_HOURS = int(env("DISTRIBUTION_SWEEP_WINDOW_HOURS", "48"))  # releases it still sends
DISTRIBUTION_FORM_RATE = env("DISTRIBUTION_FORM_RATE", "10/600")  # form posts per address per seconds
WEBHOOK_TIMEOUT = float(env("WEBHOOK_TIMEOUT", "5"))  # seconds for the whole request, not per read
WEBHOOK_MAX_RESPONSE_BYTES = int(env("WEBHOOK_MAX_RESPONSE_BYTES", "65536"))
WEBHOOK_RETRY_FIRST_SECONDS = float(env("WEBHOOK_RETRY_FIRST_SECONDS", "30"))  # doubles on each failure
WEBHOOK_RETRY_FOR_SECONDS = float(env("WEBHOOK_RETRY_FOR_SECONDS", str(24 * 3600)))
# Webhooks never reach loopback, private or link-local addresses unless this is true (tests, local receivers).
WEBHOOK_ALLOW_LOOPBACK = env_bool("WEBHOOK_ALLOW_LOOPBACK", False)

# API throttles (releases.api.throttling): anonymous clients per address, token clients per token.
API_THROTTLE_RATES = {
    "anon": env("API_THROTTLE_ANON", "120/minute"),
    "token": env("API_THROTTLE_TOKEN", "600/minute"),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}

# Demo accounts (writer / reviewer / publisher) may only be created where this is true.
ALLOW_DEMO_USERS = False


def require(name: str) -> str:
    """Return an environment variable that production cannot run without."""
    value = os.environ.get(name)
    if not value:
        raise ImproperlyConfigured(f"Set the {name} environment variable.")
    return value


# API (owned by releases/api): names for the OpenAPI schema's enums that share a field name.
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] = {
    "ContactKindEnum": "releases.models.Contact.Kind",
    "PipelineAssetKindEnum": "releases.models.PipelineAsset.Kind",
    "BoilerplateBlockKindEnum": "releases.models.BoilerplateBlock.Kind",
    "DisclaimerKindEnum": "releases.models.Disclaimer.Kind",
    "ReleaseStatusEnum": "releases.models.Release.Status",
    "ReleaseCategoryEnum": "releases.models.Release.Category",
    "LanguageEnum": "releases.models.LANGUAGE_CHOICES",
}

# Freshness checks (releases.checks.freshness_checks), warnings only: a topic About or a pipeline sentence
# nobody edited for this many months; a registration document filed this many months before the release.
FRESHNESS_MONTHS = int(env("FRESHNESS_MONTHS", "12"))
FILING_MAX_AGE_MONTHS = int(env("FILING_MAX_AGE_MONTHS", "13"))

# The rich-text editor's own extension: paste from Word and Google Docs cleaned as a desk editor would
# (static/admin_ext/desk-paste.js). It adds no markup of its own to the allow-list (releases.sanitize).
DJANGO_PROSE_EDITOR_EXTENSIONS = [
    {
        "js": [static_lazy("admin_ext/desk-paste.js")],
        "extensions": {"DeskPaste": lambda extension_config, shared_config: None},
    }
]
