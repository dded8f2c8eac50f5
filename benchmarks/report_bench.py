"""Benchmark of the note de conjoncture: the whole note (figures, HTML, PDF) on a synthetic edition
built from the real catalogue, in French and in English, and the French note of the previous version
of the code on the same data, side by side. Goal: the French note under 10 s.

The previous version is ``BAROMETRE_BENCH_BASE`` (a git revision; default: the merge base with
``main``, or ``HEAD~1`` when this checkout is ``main``), extracted with ``git archive`` and run with
this checkout's virtual environment, so both sides use the same libraries and the same input.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOAL_SECONDS = 10.0

#: Builds the French note with the code on ``sys.path`` and prints its timings as JSON.
SNIPPET = """
import json, sys, time
from pathlib import Path
from barometre.core.report import build_report
from barometre.core.report.synthetic import synthetic_input
data = synthetic_input("fr")
t0 = time.perf_counter()
result = build_report(data, Path(sys.argv[1]))
timings = dict(result.timings)
timings["wall"] = time.perf_counter() - t0
print(json.dumps(timings))
"""


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()


def _base_revision() -> str | None:
    wanted = os.environ.get("BAROMETRE_BENCH_BASE")
    try:
        if wanted:
            return _git("rev-parse", "--verify", f"{wanted}^{{commit}}")
        head = _git("rev-parse", "HEAD")
        base = _git("merge-base", "HEAD", "main")
        return base if base != head else _git("rev-parse", "HEAD~1")
    except (subprocess.CalledProcessError, FileNotFoundError):
        return None


def _timed_build(src: Path, out: Path) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(src), "PYTHONHASHSEED": "0"}
    result = subprocess.run(
        [sys.executable, "-c", SNIPPET, str(out)], cwd=src.parent, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise RuntimeError((result.stderr or result.stdout).strip().splitlines()[-1:])
    timings: dict[str, float] = json.loads(result.stdout.strip().splitlines()[-1])
    return timings


def _stages(t: dict[str, float]) -> str:
    return ", ".join(f"{k} {v:.2f} s" for k, v in t.items() if k not in ("total", "wall"))


def run(with_r: bool) -> None:  # with_r: no R workload here
    from barometre.core.report import build_report
    from barometre.core.report.synthetic import synthetic_input

    for lang in ("fr", "en"):
        t0 = time.perf_counter()
        data = synthetic_input(lang)
        t_input = time.perf_counter() - t0
        with tempfile.TemporaryDirectory(prefix=f"note_{lang}_") as tmp:
            result = build_report(data, Path(tmp))
            n_files = len(result.figures)
            pdf_size = result.pdf.stat().st_size if result.pdf else 0
        stages = ", ".join(f"{k} {v:.2f} s" for k, v in result.timings.items() if k != "total")
        total = result.timings["total"]
        verdict = "ok" if total < GOAL_SECONDS else f"ABOVE the {GOAL_SECONDS:.0f} s goal"
        print(
            f"note {lang}: input {t_input:.2f} s, {stages}; total {total:.2f} s ({verdict}); "
            f"{n_files} figure files, PDF {pdf_size / 1024:.0f} kB"
        )
    # the French note, this version and the previous one, each in a fresh process on the same data
    base = _base_revision()
    with tempfile.TemporaryDirectory(prefix="note_versions_") as tmp:
        work = Path(tmp)
        sides: list[tuple[str, Path]] = [("this version", ROOT / "src")]
        if base is not None:
            tree = work / "base"
            tree.mkdir()
            git_archive = ["git", "archive", "--format=tar", base]
            archive = subprocess.run(git_archive, cwd=ROOT, capture_output=True, check=True)
            subprocess.run(["tar", "-x", "-C", str(tree)], input=archive.stdout, check=True)
            sides.append((f"previous version ({base[:10]})", tree / "src"))
        measured: dict[str, float] = {}
        for name, src in sides:
            try:
                t = _timed_build(src, work / name.split(" ")[0])
            except RuntimeError as exc:
                print(f"note fr, {name}: not measured ({exc})")
                continue
            measured[name] = t["total"]
            print(f"note fr, {name}: {_stages(t)}; total {t['total']:.2f} s")
        if len(measured) == 2:
            now, before = measured["this version"], next(v for k, v in measured.items() if k != "this version")
            print(f"note fr: {now:.2f} s now against {before:.2f} s before ({before / now:.1f}× faster)")


if __name__ == "__main__":
    run(False)
