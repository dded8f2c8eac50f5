"""Prove that a refactoring leaves what users get byte for byte identical.

Renders, for one fixed simulated edition, the note's HTML and figures (French and English), the API's
JSON (editions, indicators, every page of estimates) and the open-data files, once from BASE and once
from HEAD, each in its own temporary directory and database, then compares them file by file.

    .venv/bin/python scripts/compare_outputs.py                 # HEAD~1 against the working tree
    .venv/bin/python scripts/compare_outputs.py BASE [HEAD]     # two commits (HEAD: a commit or "worktree")
    .venv/bin/python scripts/compare_outputs.py --keep ...      # keep the rendered files to inspect

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


def _run(argv: list[str], tree: Path, env: dict[str, str], what: str) -> None:
    result = subprocess.run(argv, cwd=tree, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        tail = (result.stderr or result.stdout).strip().splitlines()[-5:]
        raise RuntimeError(f"{what} failed ({tree}):\n  " + "\n  ".join(tail))


def render(tree: Path, out: Path, respondents: int) -> None:
    """Everything users get for the fixed edition, rendered with the code and data of ``tree``."""
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
        ("edition simulate", [*cli, "edition", "simulate", "--edition", str(EDITION), *simulation]),
        ("opendata export", [*cli, "opendata", "export", "--edition", str(EDITION), "--out", str(out / "opendata")]),
        ("api", [sys.executable, "-c", API_SNIPPET % {"edition": EDITION}, str(out / "api")]),
    ]
    for lang in ("fr", "en"):
        note = ["--lang", lang, "--out", str(out / f"note_{lang}"), "--no-pdf"]
        steps.append((f"report build ({lang})", [*cli, "report", "build", "--edition", str(EDITION), *note]))
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
                render(tree, out, args.respondents)
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
