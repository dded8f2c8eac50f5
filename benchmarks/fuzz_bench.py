"""Fuzz corpus of the parsers and importers, each input in its own process: time and memory.

Every input of :mod:`benchmarks.fuzz_corpus` is run as ``barometre …`` in a fresh process
(address space capped at 4 GiB as a safety net) and must end within 30 s with exit 1 or 2,
no traceback and no signal, its peak resident memory under 500 MB. Then the property-based
tests of ``tests/cli/test_fuzz_corpus.py`` run with the ``explore`` hypothesis profile
(1,000 examples for the fast properties, 500 for those that compute estimates or open a
workbook, instead of the suite's 100 and 30).
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.fuzz_corpus import CORPUS, HEAVY, XLSX

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
LIMIT_S = 30.0
LIMIT_RSS_MB = 500.0
ADDRESS_SPACE = 4 * 1024**3


def _cap() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def run(with_r: bool = False) -> None:
    failures = 0
    ran = 0
    worst_s = worst_mb = 0.0
    with tempfile.TemporaryDirectory(prefix="barometre-fuzz-") as tmp:
        # Reference measured in the same run: a valid case, same process start-up (imports dominate).
        from barometre.core.paths import REFERENCE_DIR

        start = time.perf_counter()
        with open(os.devnull, "w+b") as sink:
            ref = subprocess.Popen(
                [str(BIN / "barometre"), "stats", "estimate", str(REFERENCE_DIR / "survey" / "apiclus1_cluster.json")],
                stdout=sink,
                stderr=sink,
            )
            _wait(ref.pid, 120)
        reference_s = time.perf_counter() - start
        print(f"  reference: a valid case (apiclus1_cluster.json) in {reference_s:.1f} s")
        only = os.environ.get("BENCH_FUZZ_ONLY", "")  # e.g. "xlsx" or "cell": a part of the corpus
        for name, build in CORPUS + HEAVY:
            if only and only not in name and not (only == "xlsx" and (name, build) in XLSX + HEAVY):
                continue
            ran += 1
            folder = Path(tmp) / name
            folder.mkdir()
            args = build(folder)
            size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
            start = time.perf_counter()
            with open(folder / ".stderr", "w+b") as err_file:
                proc = subprocess.Popen(
                    [str(BIN / "barometre"), *args],
                    stdout=subprocess.DEVNULL,
                    stderr=err_file,
                    preexec_fn=_cap,
                )
                status, usage = _wait(proc.pid, LIMIT_S)
                err_file.seek(0)
                err = err_file.read()
            proc.returncode = os.waitstatus_to_exitcode(status)
            elapsed = time.perf_counter() - start
            rss_mb = usage.ru_maxrss / 1024
            text = err.decode("utf-8", "replace")
            lines = [line for line in text.splitlines() if line.strip()]
            ok = (
                proc.returncode in (1, 2)
                and "Traceback" not in text
                and bool(lines)
                and elapsed < LIMIT_S
                and rss_mb < LIMIT_RSS_MB
            )
            failures += not ok
            worst_s, worst_mb = max(worst_s, elapsed), max(worst_mb, rss_mb)
            print(
                f"  {name:24s} {size / 1e6:7.2f} MB in  exit {proc.returncode:3d}  {elapsed:5.1f} s  "
                f"({elapsed / reference_s:4.2f}× ref)  peak {rss_mb:6.0f} MB  {'ok' if ok else 'FAILED'}  "
                f"{lines[0][-80:] if lines else ''}"
            )
    print(
        f"fuzz corpus: {ran} inputs, {failures} failed; "
        f"slowest {worst_s:.1f} s (limit {LIMIT_S:.0f} s), "
        f"largest peak {worst_mb:.0f} MB (limit {LIMIT_RSS_MB:.0f} MB)"
    )
    if os.environ.get("BENCH_FUZZ_ONLY"):
        return
    print("property-based fuzzing (hypothesis profile 'explore', 500 to 1,000 examples each):")
    result = subprocess.run(
        [str(BIN / "pytest"), "tests/cli/test_fuzz_corpus.py", "-q", "-p", "no:randomly", "-k", "not hostile"],
        cwd=ROOT,
        env={**os.environ, "HYPOTHESIS_PROFILE": "explore", "FUZZ_EXAMPLES": "500"},
        capture_output=True,
        text=True,
        check=False,
    )
    print("  " + (result.stdout.strip().splitlines() or ["(no output)"])[-1])


def _wait(pid: int, limit: float) -> tuple[int, resource.struct_rusage]:
    """Wait for ``pid`` (killed after ``limit`` seconds); its exit status and its own resource usage."""
    deadline = time.monotonic() + limit
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            return status, usage
        if time.monotonic() > deadline:
            os.kill(pid, 9)
            _done, status, usage = os.wait4(pid, 0)
            return status, usage
        time.sleep(0.02)


if __name__ == "__main__":
    run()
