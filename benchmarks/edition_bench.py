"""Benchmark: simulate + weight + compute every indicator of one edition of 4,000 respondents.

Goal: under 10 s in all. ``run(with_r)`` prints stage times and sizes (R is not used here).
Then ``barometre indicators compute --edition 2025`` on the demo (goal < 2 s): the command
itself when the demo database exists (``make setup``), and always its core work (weighting and
every indicator of the demo edition 2025, 292 respondents) with the estimator path taken.
"""

from __future__ import annotations

import time

#: runs of each timed command (medians are reported: the machines are shared)
REPEATS = 5


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
    import hashlib
    import json
    import os
    import resource
    import shutil
    import statistics
    import subprocess
    import sys
    from pathlib import Path

    from barometre.core.indicators.compute import compute_indicators
    from barometre.core.paths import PROJECT_ROOT
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
    cache = Path(os.environ.get("BAROMETRE_DATA_DIR", str(PROJECT_ROOT / "var"))) / "cache"
    cmd = [str(cli), "indicators", "compute", "--edition", "2025", "--format", "json"]

    def timed(args: list[str]) -> tuple[float, float, subprocess.CompletedProcess[str]]:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        proc = subprocess.run(args, capture_output=True, text=True, check=False)
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), proc

    # reference in the same run: the start-up of the command line alone (`barometre --help`)
    ref = [timed([str(cli), "--help"]) for _ in range(REPEATS)]
    # cold: the caches (frame arrays, suppression patterns) removed first; warm: as a second run finds them
    cold, warm = [], []
    outputs = set()
    for _ in range(REPEATS):
        shutil.rmtree(cache / "suppression", ignore_errors=True)
        for kept in cache.glob("frame-units-*.npz"):
            kept.unlink(missing_ok=True)
        cold.append(timed(cmd))
        warm.append(timed(cmd))
        outputs |= {hashlib.sha256(r[2].stdout.encode()).hexdigest() for r in (cold[-1], warm[-1])}
    failed = [r[2] for r in cold + warm if r[2].returncode != 0]
    if failed:
        print(
            f"  `barometre indicators compute --edition 2025` not timed: {failed[0].stderr.strip()[:160]} "
            "(run `make setup`)"
        )
        return
    rows = len(json.loads(warm[-1][2].stdout)["rows"])
    med = statistics.median
    ref_wall, ref_cpu = med(r[0] for r in ref), med(r[1] for r in ref)
    w_wall, w_cpu = med(r[0] for r in warm), med(r[1] for r in warm)
    c_wall, c_cpu = med(r[0] for r in cold), med(r[1] for r in cold)
    load = os.getloadavg()[0]
    print(
        f"  `barometre indicators compute --edition 2025` ({len(sim.respondents)} respondents, {rows} rows printed, "
        f"small-area estimates stored), median of {REPEATS} runs each (goal < 2 s):\n"
        f"    warm (frame arrays and suppression patterns kept from a previous run): {w_wall:.2f} s wall, "
        f"{w_cpu:.2f} s CPU\n"
        f"    cold (caches removed first): {c_wall:.2f} s wall, {c_cpu:.2f} s CPU; cold/warm CPU ratio "
        f"{c_cpu / w_cpu:.1f}x\n"
        f"    reference `barometre --help` in the same run: {ref_wall:.2f} s wall, {ref_cpu:.2f} s CPU; "
        f"warm/reference CPU ratio {w_cpu / ref_cpu:.1f}x\n"
        f"    identical JSON output across the {2 * REPEATS} runs: {'yes' if len(outputs) == 1 else 'NO'}; "
        f"load average {load:.1f} on {os.cpu_count()} cores (wall time includes waiting for a core)"
    )


if __name__ == "__main__":
    run(False)
