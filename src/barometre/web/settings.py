"""Settings, from the environment only.

- ``SECRET_KEY`` or ``SECRET_KEY_FILE``: otherwise a key is generated once into
  the data directory (good for loopback use; the production check refuses it
  with a public host).
- ``DEBUG``: off unless set to 1/true.
- ``ALLOWED_HOSTS``: comma separated; default ``localhost,127.0.0.1,[::1]``.
- ``DATABASE_URL``: default SQLite file in the data directory.
- ``BAROMETRE_DATA_DIR``: default ``var/`` at the project root.
- ``CACHE_URL``: ``redis://…`` for the cache every process shares (several gunicorn workers);
  default this process's memory.
- ``HTTPS`` (secure cookies, redirect to HTTPS, HSTS), or one by one ``SECURE_COOKIES``,
  ``SECURE_SSL_REDIRECT``, ``SECURE_HSTS_SECONDS``; ``SECURE_PROXY_SSL_HEADER`` (``X-Forwarded-Proto``)
  behind a TLS-terminating proxy. Required for a public host.
- ``TRUSTED_PROXIES``: reverse proxies whose ``X-Forwarded-For`` gives the client address.
- ``EMAIL_HOST``, ``EMAIL_PORT``, ``EMAIL_HOST_USER``, ``EMAIL_HOST_PASSWORD``, ``EMAIL_USE_TLS``,
  ``DEFAULT_FROM_EMAIL``: the SMTP server of invitations and reminders (no ``EMAIL_HOST``: e-mail off).
- ``BAROMETRE_ORGANISER_LOGO``: the organiser's logo shown to respondents (URL or static path).
- ``OIDC_OP_ISSUER``, ``OIDC_RP_CLIENT_ID``, ``OIDC_RP_CLIENT_SECRET``: ProConnect (OpenID Connect)
  sign-in to the console (no client id: off).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy

from barometre.core.paths import PROJECT_ROOT

# Django's generic classes (``ModelAdmin[Authority]``…) subscriptable at run time, as mypy reads them.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [v.strip() for v in value.split(",") if v.strip()]


DATA_DIR = Path(os.environ.get("BAROMETRE_DATA_DIR", str(PROJECT_ROOT / "var")))
# Private: the SQLite database (raw answers, names) and the secret key live here.
DATA_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
if DATA_DIR.stat().st_mode & 0o077 and DATA_DIR.stat().st_uid == os.getuid():
    DATA_DIR.chmod(0o700)


def _secret_key() -> tuple[str, bool]:
    """Return the secret key and whether it was generated locally."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"], False
    key_file = os.environ.get("SECRET_KEY_FILE")
    if key_file:
        return Path(key_file).read_text(encoding="utf-8").strip(), False
    local = DATA_DIR / "secret_key"
    if not local.exists():
        fd = os.open(local, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(50))
    return local.read_text(encoding="utf-8").strip(), True


SECRET_KEY, SECRET_KEY_IS_LOCAL = _secret_key()
DEBUG = _env_bool("DEBUG")
ALLOWED_HOSTS = _env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "dsfr",
    "rest_framework",
    "drf_spectacular",
    "corsheaders",
    "barometre.apps.registry",
    "barometre.apps.editions",
    "barometre.apps.portal",
    "barometre.apps.api",
    "barometre.apps.diagnostic",
    "barometre.apps.poll",
    "barometre.apps.public",
    "barometre.apps.projects",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "barometre.apps.console",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "barometre.web.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    # Before the session: a forged session cookie or a NUL byte never reaches the database.
    "barometre.web.input.CleanInputMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "barometre.web.locale.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "barometre.web.csrf.NullOriginCsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "barometre.apps.api.middleware.ApiCacheMiddleware",
]

ROOT_URLCONF = "barometre.web.urls"
WSGI_APPLICATION = "barometre.web.wsgi.application"

TEMPLATES: list[dict[str, Any]] = [
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
                "barometre.web.context.site",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'barometre.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    _sqlite = Path(str(DATABASES["default"]["NAME"]))
    if str(_sqlite) != ":memory:" and not str(_sqlite).startswith("file:") and _sqlite.parent.is_dir():
        # Owner-only before SQLite creates it (its -wal and -shm files take the same mode).
        os.close(os.open(_sqlite, os.O_RDWR | os.O_CREAT, 0o600))
        if _sqlite.stat().st_mode & 0o077 and _sqlite.stat().st_uid == os.getuid():
            _sqlite.chmod(0o600)
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def caches_for(url: str) -> dict[str, dict[str, Any]]:
    """``default``: what every process must share (the portal's failed-lookup counts): Redis when
    ``CACHE_URL`` names one, else this process's memory (fine for one process, flagged by a
    deployment check otherwise). ``local``: per-process memory, for caches of derived pages that
    are cheap to rebuild and sit on hot paths (the API's estimates pages)."""
    local = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "barometre-local"}
    if not url:
        default: dict[str, Any] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    elif url.startswith(("redis://", "rediss://", "unix://")):
        default = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url, "KEY_PREFIX": "barometre"}
    else:
        raise ImproperlyConfigured(f"CACHE_URL : schéma non pris en charge ({url.split(':', 1)[0]}:), attendu redis://")
    return {"default": default, "local": local}


CACHES = caches_for(os.environ.get("CACHE_URL", ""))

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [PROJECT_ROOT / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
# Years and codes must never be grouped ("2 025"): grouping is explicit (intcomma, core.wording.numbers).
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
#: The site's own assets (``web/static``: ``barometre/site.css``…); ``barometre.web`` is not an app,
#: so the app-directories finder would not look there.
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "no-referrer"
X_FRAME_OPTIONS = "DENY"
# The CSRF middleware is Django's, subclassed (web/csrf.py): Django's check looks for its exact path.
SILENCED_SYSTEM_CHECKS = ["security.W003"]

# HTTPS (required for a public host, web/checks.py): ``HTTPS=1`` turns on secure cookies, the
# redirect of plain HTTP and HSTS for a year; each can be set on its own.
HTTPS = _env_bool("HTTPS")
SESSION_COOKIE_SECURE = _env_bool("SECURE_COOKIES", HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = _env_bool("SECURE_SSL_REDIRECT", HTTPS)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600 if HTTPS else 0)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = _env_bool("SECURE_HSTS_PRELOAD")
#: Behind a TLS-terminating proxy (which must set the header itself): ``X-Forwarded-Proto``.
if os.environ.get("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = (
        "HTTP_" + os.environ["SECURE_PROXY_SSL_HEADER"].strip().upper().replace("-", "_"),
        "https",
    )


def _trusted_proxies() -> list[str]:
    import ipaddress

    values = _env_list("TRUSTED_PROXIES", [])
    for value in values:
        try:
            ipaddress.ip_network(value, strict=False)
        except ValueError:
            raise ImproperlyConfigured(f"TRUSTED_PROXIES : adresse ou réseau invalide « {value} »") from None
    return values


#: Reverse proxies whose ``X-Forwarded-For`` is believed (addresses or networks, comma separated);
#: empty: the peer address is the client (the portal's rate limit counts per client).
TRUSTED_PROXIES = _trusted_proxies()

#: Base URL used to build absolute links (invitations).
BAROMETRE_BASE_URL = os.environ.get("BAROMETRE_BASE_URL", "http://127.0.0.1:8000")
#: The organiser's logo on the respondents' first page: a URL or a static path (SVG or PNG);
#: empty: a neutral emblem (``portal/emblem.svg``).
BAROMETRE_ORGANISER_LOGO = os.environ.get("BAROMETRE_ORGANISER_LOGO", "")

# Background jobs (console actions, e-mail sending): the database queue, run by `barometre manage db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# E-mail (invitations, reminders): SMTP from the environment; without EMAIL_HOST nothing is sent.
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT") or 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("EMAIL_USE_TLS")
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT") or 30)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "barometre@localhost")

LOGIN_URL = "console:login"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "barometre.apps.console.oidc.ConsoleOIDCBackend",
]

# ProConnect (OpenID Connect) sign-in to the console: off unless OIDC_RP_CLIENT_ID is set.
OIDC_OP_ISSUER = os.environ.get("OIDC_OP_ISSUER", "")
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
OIDC_RP_SCOPES = os.environ.get("OIDC_RP_SCOPES", "openid email")
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_CREATE_USER = False
OIDC_AUTHENTICATE_CLASS = "barometre.apps.console.oidc.ConsoleOIDCRequestView"
OIDC_CALLBACK_CLASS = "barometre.apps.console.oidc.ConsoleOIDCCallbackView"
LOGIN_REDIRECT_URL = "/console/"
LOGIN_REDIRECT_URL_FAILURE = "/console/connexion/"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Every handler masks the token of portal URLs (/repondre/<token>/…): see web/logs.py.
    "filters": {"mask_tokens": {"()": "barometre.web.logs.MaskTokensFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["mask_tokens"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.security": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "django.server": {"handlers": [], "level": "CRITICAL", "propagate": False},
    },
}

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "EXCEPTION_HANDLER": "barometre.apps.api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": gettext_lazy("API du Baromètre — data, IA et cybersécurité des territoires"),
    "DESCRIPTION": gettext_lazy(
        "API publique en lecture seule : éditions, indicateurs, estimations pondérées, registre."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "barometre.apps.api.schema.add_error_responses",
    ],
    "LICENSE": {"name": "Licence Ouverte 2.0", "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"},
}
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False
#: Cache lifetime of public API responses (seconds).
API_CACHE_SECONDS = int(os.environ.get("API_CACHE_SECONDS", "300"))
