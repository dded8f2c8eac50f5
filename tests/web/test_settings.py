"""Settings come from the environment and unsafe production settings are refused."""

from __future__ import annotations

import subprocess
import sys

import pytest
from django.test import override_settings

from barometre.web.checks import check_production_settings
from barometre.web.settings import caches_for

GOOD_KEY = "k" * 10 + "x7Qz!r9LmN2pW4sT6vY8bD0fH3jK5nP7qR9tV1wX3zA5cE"


@override_settings(DEBUG=True, ALLOWED_HOSTS=["barometre.example.org"], SECRET_KEY=GOOD_KEY, SECRET_KEY_IS_LOCAL=False)
def test_it_refuses_debug_with_a_public_host() -> None:
    ids = [e.id for e in check_production_settings()]
    assert "barometre.E001" in ids


@override_settings(DEBUG=True, ALLOWED_HOSTS=["localhost", "127.0.0.1"], SECRET_KEY=GOOD_KEY, SECRET_KEY_IS_LOCAL=True)
def test_it_allows_debug_on_loopback() -> None:
    assert check_production_settings() == []


@pytest.mark.parametrize("key", ["django-insecure-abcdefghijklmnopqrstuvwxyz0123456789", "short"])
@override_settings(DEBUG=False, ALLOWED_HOSTS=["localhost"], SECRET_KEY_IS_LOCAL=False)
def test_it_refuses_a_default_or_short_secret_key(key: str) -> None:
    with override_settings(SECRET_KEY=key):
        assert "barometre.E002" in [e.id for e in check_production_settings()]


@override_settings(DEBUG=False, ALLOWED_HOSTS=["barometre.example.org"], SECRET_KEY=GOOD_KEY, SECRET_KEY_IS_LOCAL=True)
def test_it_refuses_the_local_key_for_a_public_host() -> None:
    assert "barometre.E003" in [e.id for e in check_production_settings()]


def _settings_in_subprocess(env: dict[str, str], expr: str) -> str:
    code = f"import barometre.web.settings as s; print({expr})"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    return out.stdout.strip()


def test_settings_read_the_environment(tmp_path) -> None:
    key_file = tmp_path / "key"
    key_file.write_text(GOOD_KEY + "\n")
    env = {
        "PATH": "/usr/bin:/bin",
        "BAROMETRE_DATA_DIR": str(tmp_path / "data"),
        "SECRET_KEY_FILE": str(key_file),
        "ALLOWED_HOSTS": "a.example, b.example",
        "DEBUG": "0",
        "DATABASE_URL": "postgres://u@db.example:5432/baro",
    }
    expr = "s.SECRET_KEY == " + repr(GOOD_KEY) + ", s.ALLOWED_HOSTS, s.DEBUG, s.DATABASES['default']['HOST']"
    out = _settings_in_subprocess(env, expr)
    assert out == "True ['a.example', 'b.example'] False db.example"


def test_without_environment_a_local_key_is_generated_once_and_sqlite_is_used(tmp_path) -> None:
    env = {"PATH": "/usr/bin:/bin", "BAROMETRE_DATA_DIR": str(tmp_path)}
    first = _settings_in_subprocess(env, "s.SECRET_KEY, s.DEBUG, s.ALLOWED_HOSTS, s.DATABASES['default']['ENGINE']")
    second = _settings_in_subprocess(env, "s.SECRET_KEY")
    assert first.split(" ")[0] == second
    assert "False ['localhost', '127.0.0.1', '[::1]'] django.db.backends.sqlite3" in first
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


@override_settings(
    DEBUG=False,
    ALLOWED_HOSTS=["barometre.example.org"],
    SECRET_KEY=GOOD_KEY,
    SECRET_KEY_IS_LOCAL=False,
    SECURE_HSTS_SECONDS=3600,
    SESSION_COOKIE_SECURE=True,
    CSRF_COOKIE_SECURE=True,
    SECURE_SSL_REDIRECT=True,
)
def test_it_warns_when_a_public_host_counts_portal_attempts_per_process() -> None:
    assert "barometre.W001" in [e.id for e in check_production_settings()]
    with override_settings(CACHES=caches_for("redis://cache.example:6379/0")):
        assert check_production_settings() == []


def test_cache_url_selects_a_shared_redis_cache_and_refuses_other_schemes(tmp_path) -> None:
    env = {"PATH": "/usr/bin:/bin", "BAROMETRE_DATA_DIR": str(tmp_path), "CACHE_URL": "redis://cache.example:6379/2"}
    expr = "s.CACHES['default']['BACKEND'], s.CACHES['default']['LOCATION'], s.CACHES['local']['BACKEND']"
    assert _settings_in_subprocess(env, expr).split() == [
        "django.core.cache.backends.redis.RedisCache",
        "redis://cache.example:6379/2",
        "django.core.cache.backends.locmem.LocMemCache",
    ]
    env["CACHE_URL"] = "memcached://cache.example:11211"
    code = "import barometre.web.settings"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False)
    assert out.returncode != 0 and "CACHE_URL" in out.stderr and "memcached:" in out.stderr
