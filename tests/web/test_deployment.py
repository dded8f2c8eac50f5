"""A public host is served only with safe settings: the checks run before `barometre serve`
starts, HTTPS (HSTS, secure cookies, redirect) is required, the data directory is private."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client, override_settings
from typer.testing import CliRunner

from barometre.web.checks import check_production_settings
from tests.web.test_settings import GOOD_KEY

PUBLIC = {"ALLOWED_HOSTS": ["barometre.example.fr"], "SECRET_KEY": GOOD_KEY, "SECRET_KEY_IS_LOCAL": False}
HTTPS = {
    "SECURE_HSTS_SECONDS": 31536000,
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
    "SECURE_SSL_REDIRECT": True,
}


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {"PATH": os.environ["PATH"], "BAROMETRE_DATA_DIR": str(tmp_path / "data"), **extra}


@pytest.mark.slow  # starts the server in a subprocess
def test_serve_refuses_to_start_with_debug_on_a_public_host(tmp_path: Path) -> None:
    barometre = Path(sys.executable).parent / "barometre"
    env = _env(tmp_path, DEBUG="1", ALLOWED_HOSTS="barometre.example.fr")
    run = subprocess.run(
        [str(barometre), "serve", "--port", "8020"], env=env, capture_output=True, text=True, timeout=300
    )
    assert run.returncode != 0
    assert "barometre.E001" in run.stderr and "DEBUG" in run.stderr
    assert "Listening at" not in run.stderr + run.stdout  # gunicorn never started


@pytest.fixture
def gunicorn_runs(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    from gunicorn.app.wsgiapp import WSGIApplication

    started: list[Any] = []
    monkeypatch.setattr(WSGIApplication, "run", lambda self: started.append(self))
    monkeypatch.setattr(sys, "argv", list(sys.argv))  # serve rewrites sys.argv for gunicorn
    return started


@pytest.mark.django_db
def test_serve_runs_the_deployment_checks_for_a_public_host(gunicorn_runs: list[Any]) -> None:
    from barometre.cli.main import app

    with override_settings(DEBUG=False, **PUBLIC):
        result = CliRunner().invoke(app, ["serve", "--port", "8020"])
    assert result.exit_code == 2
    assert "barometre.E004" in result.output and "SECURE_SSL_REDIRECT" in result.output
    assert gunicorn_runs == []
    with override_settings(
        DEBUG=False, **PUBLIC, **HTTPS, CACHES={"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    ):
        result = CliRunner().invoke(app, ["serve", "--port", "8020"])
    assert result.exit_code == 0, result.output
    assert len(gunicorn_runs) == 1


@override_settings(DEBUG=False, **PUBLIC)
def test_a_public_host_requires_hsts_secure_cookies_and_the_https_redirect() -> None:
    errors = {e.id: e.msg for e in check_production_settings()}
    assert "barometre.E004" in errors
    for name in HTTPS:
        assert name in errors["barometre.E004"]
    with override_settings(**HTTPS):
        assert "barometre.E004" not in [e.id for e in check_production_settings()]


@override_settings(ALLOWED_HOSTS=["localhost"])
def test_loopback_does_not_require_https() -> None:
    assert "barometre.E004" not in [e.id for e in check_production_settings()]


def test_https_settings_come_from_the_environment(tmp_path: Path) -> None:
    code = (
        "import barometre.web.settings as s; print(s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, getattr(s, 'SECURE_PROXY_SSL_HEADER', None))"
    )

    def read(**extra: str) -> str:
        env = _env(tmp_path, **extra)
        return subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        ).stdout.strip()

    assert read() == "0 False False False None"
    assert read(HTTPS="1") == "31536000 True True True None"
    assert read(HTTPS="1", SECURE_HSTS_SECONDS="600", SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto") == (
        "600 True True True ('HTTP_X_FORWARDED_PROTO', 'https')"
    )


@pytest.mark.django_db
@override_settings(**HTTPS)
def test_with_https_plain_http_is_redirected_and_hsts_sent() -> None:
    client = Client()
    r = client.get("/mentions-legales/")
    assert r.status_code == 301 and r["Location"].startswith("https://")
    r = client.get("/", secure=True)
    assert r["Strict-Transport-Security"].startswith("max-age=31536000")


def test_the_data_directory_is_private_and_the_sqlite_file_owner_only(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = _env(tmp_path)
    code = (
        "import os; os.environ['DJANGO_SETTINGS_MODULE'] = 'barometre.web.settings'; import django; django.setup(); "
        "from django.core.management import call_command; call_command('migrate', 'contenttypes', verbosity=0)"
    )
    subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True, timeout=300)
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    database = data / "barometre.sqlite3"
    assert database.exists() and stat.S_IMODE(database.stat().st_mode) == 0o600
