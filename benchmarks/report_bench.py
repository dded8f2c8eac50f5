"""Benchmark of the note de conjoncture: the whole note (figures, HTML, PDF) on a synthetic edition
built from the real catalogue, in French and in English. Goal: under 30 s per note."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from barometre.core.report import build_report
from barometre.core.report.synthetic import synthetic_input

GOAL_SECONDS = 30.0


def run(with_r: bool) -> None:  # with_r: no R workload here
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


if __name__ == "__main__":
    run(False)
