"""Start-up of the ``barometre`` command beside the interpreter's own (``python -c pass``), in the same run.

``barometre --help`` imports no command group (target < 0.4 s); a group's command pays only for its own
module (``questionnaire validate`` never loads the statistics stack). Best of several runs each, so a
loaded machine shows as a higher ``python -c pass`` rather than as a slower command.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

RUNS = 7


def _best_s(argv: list[str]) -> float:
    best = float("inf")
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        best = min(best, time.perf_counter() - start)
    return best


def run(with_r: bool = False) -> None:  # with_r: unused (no R counterpart)
    exe = shutil.which("barometre", path=str(Path(sys.executable).parent)) or "barometre"
    python = _best_s([sys.executable, "-c", "pass"])
    cases = {
        "barometre --help": [exe, "--help"],
        "barometre questionnaire validate 2025": [exe, "questionnaire", "validate", "2025"],
        "barometre stats --help": [exe, "stats", "--help"],
    }
    print(f"cli: python -c pass: {python:.3f} s (reference, best of {RUNS})")
    for label, argv in cases.items():
        took = _best_s(argv)
        target = " (target < 0.4 s)" if label == "barometre --help" else ""
        print(f"cli: {label}: {took:.3f} s = {took / python:.1f} × python -c pass{target}")


if __name__ == "__main__":
    run()
