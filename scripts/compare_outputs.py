"""Prove that a refactoring leaves what users get byte for byte identical.

Renders, for one fixed simulated edition, the note's HTML and figures (French and English), the API's
JSON (editions, indicators, every page of estimates), the open-data files and the diagnostic's JSON (the
obligations of a sample of the frame, the public page's data and the respondent's report), once from BASE and once
from HEAD, each in its own temporary directory and database, then compares them file by file.

    .venv/bin/python scripts/compare_outputs.py                 # HEAD~1 against the working tree
    .venv/bin/python scripts/compare_outputs.py BASE [HEAD]     # two commits (HEAD: a commit or "worktree")
    .venv/bin/python scripts/compare_outputs.py --keep ...      # keep the rendered files to inspect
    .venv/bin/python scripts/compare_outputs.py --diagnostic-only main   # the diagnostic alone (faster)

A commit is extracted with ``git archive`` into a temporary directory and run with this checkout's
virtual environment (so both sides use the same libraries). Exit status 0 when every file is identical,
1 otherwise (the differing files are listed), 2 when a side could not be rendered.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EDITION = 2025
SEED = 3
RESPONDENTS = 900

#: What the API serves for the edition, fetched in-process through Django's test client.
API_SNIPPET = """
import json, sys
from pathlib import Path
import django
django.setup()
from django.test import Client

out = Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)
client = Client(HTTP_HOST="127.0.0.1")

def get(url, name):
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url}: HTTP {response.status_code}")
    (out / name).write_bytes(response.content)
    return json.loads(response.content)

get("/api/v1/editions", "editions.json")
get("/api/v1/editions/%(edition)d", "edition.json")
get("/api/v1/indicators", "indicators.json")
for lang in ("fr", "en"):
    url = "/api/v1/estimates?edition=%(edition)d&page_size=500&lang=" + lang
    page = 1
    while url:
        body = get(url, f"estimates_{lang}_{page:03d}.json")
        url = body.get("next")
        if url and url.startswith("http"):
            url = url.split("://", 1)[1].split("/", 1)[1]
            url = "/" + url
        page += 1
"""

#: The diagnostic's obligations (JSON of ``obligations_report``, French and English) for a sample of the frame
#: (every département, région and collectivité à statut particulier, one EPCI in eight, one commune in 300 and
#: every commune near a threshold: about 640 authorities), each with its population totale unknown or known, a
#: number of agents unknown or on either side of 50, the use of AI unknown, none or high-risk, at three dates;
#: then the public page's data (``public_diagnostic``, at a fixed moment) and the respondent's report
#: (``diagnostic_report``, the source of the PDF) of a few authorities.
DIAGNOSTIC_SNIPPET = """
import dataclasses, json, sys
from datetime import date, datetime
from pathlib import Path
import django
django.setup()
from barometre.apps.diagnostic.services import public_diagnostic
from barometre.apps.registry.models import Authority
from barometre.core.diagnostic.csirt import PARIS
from barometre.core.diagnostic.from_registry import profile_of
from barometre.core.diagnostic.obligations import obligations_report
from barometre.core.diagnostic.report import diagnostic_report
from barometre.core.registry import load_snapshot

out = Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)
frame = load_snapshot()
near = ((3400, 3600), (29000, 31000), (47000, 53000))
sample = []
for i, a in enumerate(frame.authorities):
    pop = a.population_municipale or 0
    kind = a.kind.value
    if (
        kind not in ("commune", "epci")
        or (kind == "epci" and i % 8 == 0)
        or (kind == "commune" and (i % 300 == 0 or any(lo <= pop <= hi for lo, hi in near)))
    ):
        sample.append(profile_of(a, frame))
variants = {
    "frame": {},
    "totale_agents49": {"agents": 49.5, "uses_ai": False, "totale": True},
    "agents50_ai": {"agents": 50, "uses_ai": True, "uses_high_risk_ai": None},
    "agents3000_highrisk": {"agents": 3000, "uses_ai": True, "uses_high_risk_ai": True, "totale": True},
}

def vary(p, v):
    v = dict(v)
    if v.pop("totale", False):
        pt = None if p.population_municipale is None else round(p.population_municipale * 1.02)
        mt = None if p.max_member_population is None else round(p.max_member_population * 1.02)
        v.update(population_totale=pt, max_member_population_totale=mt)
    return dataclasses.replace(p, **v)

def dump(name, data):
    (out / name).write_text(json.dumps(data, ensure_ascii=False, sort_keys=True, default=str))

for at in (date(2022, 6, 1), date(2025, 7, 11), date(2026, 12, 1)):
    for vname, v in variants.items():
        for lang in ("fr", "en"):
            reports = [obligations_report(vary(p, v), at, lang=lang) for p in sample]
            dump(f"obligations_{at}_{vname}_{lang}.json", reports)
codes = ("31555", "35238", "243100518", "35", "53", "69123")
moment = datetime(2026, 11, 24, 10, 0, tzinfo=PARIS)
answers = {"prestataire_informatique": ["prestataire_prive"], "rssi": "non", "nb_agents": 120, "ia_usage": "deploye"}
for code in codes:
    for lang in ("fr", "en"):
        found = Authority.objects.filter(code=code).first()
        if found is not None:
            for agents in (None, 12, 4000):
                page = public_diagnostic(found, agents=agents, now=moment, lang=lang)
                page["profile"] = page["profile"].to_dict()
                dump(f"public_{code}_{agents}_{lang}.json", page)
        report = diagnostic_report(profile_of(frame.get(code), frame), answers, at=moment, peers=None, lang=lang)
        dump(f"respondent_{code}_{lang}.json", report)
"""


def _run(argv: list[str], tree: Path, env: dict[str, str], what: str) -> None:
    result = subprocess.run(argv, cwd=tree, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        tail = (result.stderr or result.stdout).strip().splitlines()[-5:]
        raise RuntimeError(f"{what} failed ({tree}):\n  " + "\n  ".join(tail))


def render(tree: Path, out: Path, respondents: int, diagnostic_only: bool = False) -> None:
    """Everything users get for the fixed edition, rendered with the code and data of ``tree``
    (``diagnostic_only``: the diagnostic's outputs alone, without simulating the edition)."""
    var = out / "var"
    var.mkdir(parents=True)
    env = {
        **os.environ,
        "PYTHONPATH": str(tree / "src"),
        "BAROMETRE_DATA_DIR": str(var),
        "DATABASE_URL": "",
        "DJANGO_SETTINGS_MODULE": "barometre.web.settings",
        "PYTHONHASHSEED": "0",
        "CACHE_URL": "",
    }
    cli = [sys.executable, "-m", "barometre.cli.main"]
    simulation = ["--seed", str(SEED), "--respondents", str(respondents)]
    steps: list[tuple[str, list[str]]] = [
        ("migrate", [*cli, "manage", "migrate", "--no-input"]),
        ("registry load", [*cli, "registry", "load"]),
        ("diagnostic", [sys.executable, "-c", DIAGNOSTIC_SNIPPET, str(out / "diagnostic")]),
        ("edition simulate", [*cli, "edition", "simulate", "--edition", str(EDITION), *simulation]),
        ("opendata export", [*cli, "opendata", "export", "--edition", str(EDITION), "--out", str(out / "opendata")]),
        ("api", [sys.executable, "-c", API_SNIPPET % {"edition": EDITION}, str(out / "api")]),
    ]
    for lang in ("fr", "en"):
        note = ["--lang", lang, "--out", str(out / f"note_{lang}"), "--no-pdf"]
        steps.append((f"report build ({lang})", [*cli, "report", "build", "--edition", str(EDITION), *note]))
    if diagnostic_only:
        steps = steps[:3]
    for what, argv in steps:
        print(f"  {tree.name}: {what}", flush=True)
        _run(argv, tree, env, what)
    shutil.rmtree(var)


def extract(commit: str, into: Path) -> Path:
    """The files of ``commit`` in ``into`` (``worktree``: this checkout as it is)."""
    if commit == "worktree":
        return ROOT
    sha = subprocess.run(
        ["git", "rev-parse", "--verify", f"{commit}^{{commit}}"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    tree = into / sha[:12]
    tree.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", "--format=tar", sha], cwd=ROOT, capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive.stdout, check=True)
    return tree


def _files(base: Path) -> set[str]:
    return {str(p.relative_to(base)) for p in base.rglob("*") if p.is_file()}


def compare(a: Path, b: Path) -> list[str]:
    """Files that differ, or exist on one side only."""
    fa, fb = _files(a), _files(b)
    problems = [f"only in BASE: {f}" for f in sorted(fa - fb)] + [f"only in HEAD: {f}" for f in sorted(fb - fa)]
    problems += [f"differs: {f}" for f in sorted(fa & fb) if not filecmp.cmp(a / f, b / f, shallow=False)]
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("base", nargs="?", default="HEAD~1", help="commit to compare against (default HEAD~1)")
    parser.add_argument("head", nargs="?", default="worktree", help='commit, or "worktree" (default)')
    parser.add_argument("--respondents", type=int, default=RESPONDENTS, help="size of the simulated edition")
    parser.add_argument(
        "--diagnostic-only", action="store_true", help="compare the diagnostic's outputs alone (no edition simulated)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the rendered files and print where")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="compare-outputs-"))
    try:
        outputs: dict[str, Path] = {}
        for side, commit in (("BASE", args.base), ("HEAD", args.head)):
            print(f"{side} = {commit}", flush=True)
            tree = extract(commit, work / "trees")
            out = work / side.lower()
            try:
                render(tree, out, args.respondents, args.diagnostic_only)
            except RuntimeError as exc:
                print(f"{side}: {exc}", file=sys.stderr)
                return 2
            outputs[side] = out
        problems = compare(outputs["BASE"], outputs["HEAD"])
        count = len(_files(outputs["HEAD"]))
        summary = {"base": args.base, "head": args.head, "files": count, "differences": problems}
        print(json.dumps(summary, indent=2, ensure_ascii=False))
        if args.keep:
            print(f"rendered files kept in {work}")
        return 1 if problems else 0
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
