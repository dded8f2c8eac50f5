"""Benchmark: simulate + weight + compute every indicator of one edition of 4,000 respondents.

Goal: under 10 s in all. ``run(with_r)`` prints stage times and sizes (R is not used here).
Then ``barometre indicators compute --edition 2025`` on the demo (goal < 2 s): the command
itself when the demo database exists (``make setup``), and always its core work (weighting and
every indicator of the demo edition 2025, 292 respondents) with the estimator path taken.
"""

from __future__ import annotations

import time


def run(with_r: bool = False) -> None:
    from barometre.core.indicators.catalogue import load_catalogue
    from barometre.core.indicators.compute import compare, compute_indicators
    from barometre.core.questionnaire import load_edition
    from barometre.core.registry import load_snapshot
    from barometre.core.simulate import simulate_edition
    from barometre.core.weighting import FrameMargins, frame_arrays, weight_edition

    year, respondents = 2024, 4000
    t0 = time.perf_counter()
    fa = frame_arrays(load_snapshot())
    cat = load_catalogue()
    qn = load_edition(year)
    t1 = time.perf_counter()
    sim = simulate_edition(year, 1, respondents, frame=fa, questionnaire=qn, catalogue=cat)
    t2 = time.perf_counter()
    weighting = weight_edition(sim.arrays, FrameMargins.from_frame(fa))
    t3 = time.perf_counter()
    rows = compute_indicators(sim.arrays, weighting, cat, qn)
    cmp = compare(rows, cat, year)
    t4 = time.perf_counter()
    print(
        f"edition_bench {year}: frame {fa.n} authorities, {len(sim.respondents)} respondents, "
        f"{len(cat.for_edition(year))} indicators"
    )
    print(f"  load (frame, catalogue, questionnaire) {t1 - t0:6.2f} s")
    print(f"  simulate ({len(sim.targets)} fitted targets)    {t2 - t1:6.2f} s")
    print(f"  weight (max margin error {weighting.report['max_margin_relative_error']:.1e})  {t3 - t2:6.2f} s")
    print(f"  compute ({len(rows)} rows, {len(cmp)} compared)   {t4 - t3:6.2f} s")
    print(f"  total                                   {t4 - t0:6.2f} s (goal < 10 s)")
    if with_r:
        print("  (no R comparison in this benchmark)")
    demo_compute(fa, cat)


def demo_compute(fa: object, cat: object) -> None:
    import resource
    import subprocess
    import sys
    from pathlib import Path

    from barometre.core.indicators.compute import compute_indicators
    from barometre.core.questionnaire import load_edition
    from barometre.core.simulate import simulate_edition
    from barometre.core.weighting import FrameArrays, FrameMargins, weight_edition

    assert isinstance(fa, FrameArrays)
    qn = load_edition(2025)
    sim = simulate_edition(2025, 1, None, frame=fa, questionnaire=qn, catalogue=cat)  # type: ignore[arg-type]
    t0 = time.perf_counter()
    weighting = weight_edition(sim.arrays, FrameMargins.from_frame(fa))
    paths: dict[str, int] = {}
    rows = compute_indicators(sim.arrays, weighting, cat, qn, paths=paths)  # type: ignore[arg-type]
    t_core = time.perf_counter() - t0
    print(
        f"indicators compute 2025 (demo, {len(sim.respondents)} respondents): core weighting + {len(rows)} rows "
        f"{t_core:.2f} s, engine calls by path {paths}"
    )
    cli = Path(sys.executable).with_name("barometre")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(
        [str(cli), "indicators", "compute", "--edition", "2025", "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    t_cli = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode == 0:
        print(
            f"  `barometre indicators compute --edition 2025`: {t_cli:.2f} s, {cpu:.2f} s CPU "
            "(goal < 2 s, process start included)"
        )
    else:
        print(
            f"  `barometre indicators compute --edition 2025` not timed: {proc.stderr.strip()[:160]} (run `make setup`)"
        )


if __name__ == "__main__":
    run(False)
