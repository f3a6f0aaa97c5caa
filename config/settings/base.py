"""Settings shared by every environment; each value that differs comes from the environment."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

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

# The public origin used in canonical URLs, feeds, sitemaps and the PDF.
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "django_prose_editor",
    "releases",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "releases.middleware.NotFoundNoStoreMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "releases.middleware.AdminLocaleMiddleware",  # the admin: the user's language cookie, else the browser's
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
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
            ],
        },
    },
]


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
# Seconds a public page, PDF or list may be answered from the cache (never past the next moment).
PUBLIC_CACHE_SECONDS = int(env("PUBLIC_CACHE_SECONDS", "30"))
# The newsroom's lists (index) read their own setting; one variable turns every kept answer on or off.
NEWSROOM_LIST_CACHE_SECONDS = PUBLIC_CACHE_SECONDS

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
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

REST_FRAMEWORK = {
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
