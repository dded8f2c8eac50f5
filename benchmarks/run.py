"""Entry point of ``make bench``: runs every benchmark module of :data:`MODULES`.

Each module exposes ``run(with_r: bool) -> None`` and prints its own results.
"""

from __future__ import annotations

import argparse
import importlib
import os

# one BLAS thread: the machines this runs on are shared, and multithreaded BLAS on the small
# matrices of the engine only adds contention (every timing and its reference alike)
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

MODULES: list[str] = [
    "benchmarks.stats_bench",
    "benchmarks.response_bench",
    "benchmarks.questionnaire_bench",
    "benchmarks.edition_bench",
    "benchmarks.report_bench",
    "benchmarks.poll_bench",
    "benchmarks.portal_load",
    "benchmarks.api_load",
    "benchmarks.faults_bench",
    "benchmarks.fuzz_bench",
    "benchmarks.search_load",
    "benchmarks.console_bench",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--with-r", action="store_true", help="also run the R reference workloads (Rscript)")
    parser.add_argument("--only", default=None, help="run only modules whose name contains this")
    args = parser.parse_args()
    for name in MODULES:
        if args.only and args.only not in name:
            continue
        print(f"== {name}")
        importlib.import_module(name).run(args.with_r)


if __name__ == "__main__":
    main()
