"""System checks that refuse unsafe production settings."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register

LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1", "testserver"}
INSECURE_KEY_PREFIXES = ("django-insecure", "changeme", "secret")


def public_hosts() -> list[str]:
    """The allowed hosts that are not loopback addresses."""
    return [h for h in settings.ALLOWED_HOSTS if h not in LOOPBACK_HOSTS]


@register(Tags.security, deploy=False)
def check_production_settings(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    public = public_hosts()
    if settings.DEBUG and public:
        errors.append(
            Error(
                "DEBUG est activé alors que des hôtes publics sont autorisés : " + ", ".join(public),
                hint="Désactivez DEBUG (DEBUG=0) ou limitez ALLOWED_HOSTS aux adresses locales.",
                id="barometre.E001",
            )
        )
    key = str(settings.SECRET_KEY)
    if len(key) < 32 or key.lower().startswith(INSECURE_KEY_PREFIXES):
        errors.append(
            Error(
                "La clé secrète est trop courte ou est une valeur par défaut.",
                hint="Définissez SECRET_KEY ou SECRET_KEY_FILE avec au moins 50 caractères aléatoires.",
                id="barometre.E002",
            )
        )
    if public and getattr(settings, "SECRET_KEY_IS_LOCAL", False):
        errors.append(
            Error(
                "La clé secrète générée localement ne doit pas servir à un hôte public.",
                hint="Définissez SECRET_KEY ou SECRET_KEY_FILE pour la production.",
                id="barometre.E003",
            )
        )
    if public:
        missing = [
            name
            for name, ok in (
                ("SECURE_HSTS_SECONDS", settings.SECURE_HSTS_SECONDS > 0),
                ("SESSION_COOKIE_SECURE", settings.SESSION_COOKIE_SECURE),
                ("CSRF_COOKIE_SECURE", settings.CSRF_COOKIE_SECURE),
                ("SECURE_SSL_REDIRECT", settings.SECURE_SSL_REDIRECT),
            )
            if not ok
        ]
        if missing:
            errors.append(
                Error(
                    "Un hôte public exige HTTPS (les liens des répondants portent leur jeton) ; manque : "
                    + ", ".join(missing),
                    hint="Définissez HTTPS=1 (cookies sécurisés, redirection vers HTTPS, HSTS), "
                    "et SECURE_PROXY_SSL_HEADER=X-Forwarded-Proto derrière un mandataire TLS.",
                    id="barometre.E004",
                )
            )
    if public and settings.CACHES["default"]["BACKEND"].endswith(".LocMemCache"):
        errors.append(
            Warning(
                "Le cache partagé est la mémoire de chaque processus : avec plusieurs processus gunicorn, "
                "la limite de tentatives du portail est comptée par processus.",
                hint="Définissez CACHE_URL (par exemple redis://127.0.0.1:6379/0).",
                id="barometre.W001",
            )
        )
    return errors
