"""Dependency audit of the gate: every pinned package of requirements.lock checked against the
advisory database (pip-audit, PyPI's vulnerability data).

Three outcomes, each said in one clear line:
- no known vulnerability: exit 0;
- known vulnerabilities: each listed (package, version, advisory, fixed versions), exit 1;
- advisory data unreachable (no network, service down): "NOT DONE" said loudly, exit 0 so the rest
  of the gate still runs, or exit 3 when AUDIT_REQUIRED=1 (never a silent pass, never a bare
  traceback).
Usage: python scripts/audit_dependencies.py [requirements.lock]
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

UNREACHABLE = re.compile(
    r"ConnectionError|ProxyError|ConnectTimeout|ReadTimeout|Max retries exceeded|Name or service not known|"
    r"Temporary failure in name resolution|Network is unreachable|ServiceError|SSLError",
)
EXIT_UNREACHABLE = 3


def audit(lock: Path, *, pip_audit: str | None = None, timeout: int = 30) -> int:
    exe = pip_audit or str(Path(sys.executable).parent / "pip-audit")
    with tempfile.TemporaryDirectory(prefix="barometre-audit-") as tmp:
        report = Path(tmp) / "audit.json"
        cmd = [exe, "-r", str(lock), "--disable-pip", "--no-deps", "--progress-spinner", "off"]
        cmd += ["--timeout", str(timeout), "--format", "json", "--output", str(report)]
        run = subprocess.run(cmd, capture_output=True, text=True, check=False)
        data = json.loads(report.read_text(encoding="utf-8")) if report.exists() and report.stat().st_size else None
    if data is None:
        if UNREACHABLE.search(run.stderr):
            reason = next((line for line in reversed(run.stderr.splitlines()) if UNREACHABLE.search(line)), "")
            print(
                "AUDIT DES DÉPENDANCES NON FAIT : données d'avis de sécurité injoignables "
                f"({reason.strip()[:200]}). Relancez avec un accès réseau ; rien n'a été vérifié.",
                file=sys.stderr,
            )
            return EXIT_UNREACHABLE if os.environ.get("AUDIT_REQUIRED") == "1" else 0
        tail = "\n".join(run.stderr.strip().splitlines()[-5:])
        print(f"audit des dépendances en échec (pip-audit, code {run.returncode}) :\n{tail}", file=sys.stderr)
        return 2
    found = [
        (dep["name"], dep["version"], vuln) for dep in data.get("dependencies", []) for vuln in dep.get("vulns", [])
    ]
    checked = len(data.get("dependencies", []))
    if not found:
        print(f"audit des dépendances : aucune vulnérabilité connue dans {checked} paquets de {lock.name}")
        return 0
    for name, version, vuln in found:
        fixes = ", ".join(vuln.get("fix_versions") or []) or "pas de correctif"
        aliases = ", ".join(vuln.get("aliases") or [])
        print(f"{name} {version} : {vuln['id']}{f' ({aliases})' if aliases else ''} — corrigé dans : {fixes}")
    print(f"audit des dépendances : {len(found)} vulnérabilité(s) connue(s) dans {checked} paquets", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(audit(Path(sys.argv[1] if len(sys.argv) > 1 else "requirements.lock")))
