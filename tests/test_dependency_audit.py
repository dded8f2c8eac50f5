"""The gate's dependency audit says which of three things happened: clean, vulnerable, or not done
because the advisory data could not be reached (never a silent pass, never a bare traceback)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "audit_dependencies.py"


def _run(
    tmp_path: Path, *, env: dict[str, str] | None = None, fake: dict[str, object] | None = None
) -> subprocess.CompletedProcess[str]:
    lock = tmp_path / "requirements.lock"
    lock.write_text("django==5.2.8\n    # via barometre\n", encoding="utf-8")
    code = (
        f"import runpy, sys; sys.argv = ['audit', {str(lock)!r}]; runpy.run_path({str(SCRIPT)!r}, run_name='__main__')"
    )
    if fake is not None:
        exe = tmp_path / "pip-audit"
        exe.write_text(
            '#!/bin/sh\nout=\'\'\nwhile [ $# -gt 0 ]; do [ "$1" = --output ] && out="$2"; shift; done\n'
            f"cat > \"$out\" <<'JSON'\n{json.dumps(fake)}\nJSON\n",
            encoding="utf-8",
        )
        exe.chmod(0o755)
        code = (
            f"import sys; sys.path.insert(0, {str(SCRIPT.parent)!r}); import audit_dependencies as a; "
            f"from pathlib import Path; sys.exit(a.audit(Path({str(lock)!r}), pip_audit={str(exe)!r}))"
        )
    base = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env={**base, **(env or {})}, timeout=120
    )


UNREACHABLE = {"HTTPS_PROXY": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9"}


def test_unreachable_advisory_data_is_said_clearly_without_failing(tmp_path: Path) -> None:
    run = _run(tmp_path, env={**UNREACHABLE, "XDG_CACHE_HOME": str(tmp_path / "cache")})
    assert run.returncode == 0
    assert "NON FAIT" in run.stderr and "injoignables" in run.stderr
    assert "Traceback" not in run.stderr + run.stdout
    assert "aucune vulnérabilité" not in run.stdout  # never reported as a pass


def test_unreachable_advisory_data_fails_when_the_audit_is_required(tmp_path: Path) -> None:
    run = _run(tmp_path, env={**UNREACHABLE, "XDG_CACHE_HOME": str(tmp_path / "cache"), "AUDIT_REQUIRED": "1"})
    assert run.returncode == 3 and "NON FAIT" in run.stderr


def test_known_vulnerabilities_fail_the_audit_and_are_listed(tmp_path: Path) -> None:
    vuln = {"id": "PYSEC-2099-1", "fix_versions": ["5.2.99"], "aliases": ["CVE-2099-0001"], "description": "x"}
    report = {"dependencies": [{"name": "django", "version": "5.2.8", "vulns": [vuln]}], "fixes": []}
    run = _run(tmp_path, fake=report)
    assert run.returncode == 1
    assert "django 5.2.8 : PYSEC-2099-1 (CVE-2099-0001) — corrigé dans : 5.2.99" in run.stdout


@pytest.mark.parametrize("count", [1, 3])
def test_a_clean_audit_says_how_many_packages_it_checked(tmp_path: Path, count: int) -> None:
    report = {"dependencies": [{"name": f"p{i}", "version": "1.0", "vulns": []} for i in range(count)], "fixes": []}
    run = _run(tmp_path, fake=report)
    assert run.returncode == 0 and f"aucune vulnérabilité connue dans {count} paquets" in run.stdout
