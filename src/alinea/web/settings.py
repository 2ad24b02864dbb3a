"""Django settings, read from the environment through ``alinea.workspace``.

Environment variables (all optional):

- ``ALINEA_HOME``: the data directory (SQLite app database, secret key, static root);
- ``DATABASE_URL``: the app database (default SQLite in ``ALINEA_HOME``; PostgreSQL supported);
- ``ALINEA_WAREHOUSE``: the warehouse of facts (read by ``alinea.web.warehouse``);
- ``ALINEA_SECRET_KEY``: the secret key (default: generated once in ``ALINEA_HOME``);
- ``ALINEA_DEBUG=1``: Django debug mode (never in production);
- ``ALINEA_ALLOWED_HOSTS``: comma-separated host names (default ``127.0.0.1,localhost``);
- ``ALINEA_CSRF_TRUSTED_ORIGINS``: comma-separated origins, e.g. ``https://alinea.example.com``;
- ``ALINEA_TIME_ZONE``: the zone pages show times in (default ``UTC``);
- ``ALINEA_PRODUCTION=1``: HTTPS-only hardening (secure cookies, HSTS, SSL redirect), so that
  ``django-admin check --deploy`` passes; ``ALINEA_BEHIND_PROXY=1`` additionally trusts the
  ``X-Forwarded-Proto`` header of a TLS-terminating proxy.

The local demo runs on plain HTTP at 127.0.0.1 and must not set ``ALINEA_PRODUCTION``.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
import plotly

from alinea import workspace


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def _list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


WEB_DIR = Path(__file__).resolve().parent
HOME = workspace.home()

SECRET_KEY = workspace.secret_key()
DEBUG = _flag("ALINEA_DEBUG")
PRODUCTION = _flag("ALINEA_PRODUCTION")
ALLOWED_HOSTS = _list("ALINEA_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = _list("ALINEA_CSRF_TRUSTED_ORIGINS")
# SLA alert e-mail: ALINEA_EMAIL_BACKEND=smtp (default), console or filebased (the demo's choice)
EMAIL_BACKEND = (
    f"django.core.mail.backends.{os.environ.get('ALINEA_EMAIL_BACKEND', 'smtp')}.EmailBackend"
)
EMAIL_FILE_PATH = str(HOME / "sent-email")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # "ninja" as an app makes the API docs load Swagger UI from its packaged static files, not a CDN
    "ninja",
    "alinea.apps.accounts",
    "alinea.apps.audit",
    "alinea.apps.approval",
    "alinea.apps.scoreboard",
    "alinea.apps.sla",
    "alinea.apps.funnel",
    "alinea.apps.imports",
    "alinea.apps.goals",
    "alinea.apps.definitions",
    "alinea.apps.reviews",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "alinea.web.middleware.ApiErrorsAsJsonMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "alinea.web.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "alinea.web.urls"
WSGI_APPLICATION = "alinea.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [WEB_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "alinea.web.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {"default": dj_database_url.parse(workspace.app_database_url(), conn_max_age=60)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "scoreboard:index"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [WEB_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = os.environ.get("ALINEA_TIME_ZONE", "UTC")

STATIC_URL = "static/"
STATIC_ROOT = HOME / "static"  # only filled by `collectstatic`, which is optional
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns about a missing one
STATICFILES_DIRS = [
    WEB_DIR / "static",
    # plotly.js from the installed plotly package: charts render with no internet access
    ("vendor/plotly", Path(plotly.__file__).resolve().parent / "package_data"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# whitenoise serves straight from the finders, so no collectstatic step is needed
WHITENOISE_USE_FINDERS = True

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if _flag("ALINEA_BEHIND_PROXY"):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"alinea": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}
