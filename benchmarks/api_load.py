"""Load test of the public API on PostgreSQL, on loopback, with locust.

50 concurrent clients query ``/api/v1/estimates`` (filtered by edition,
indicator and breakdown) on ``barometre serve`` (gunicorn) backed by
PostgreSQL holding the registry and one simulated edition. A reference run at
the same concurrency hits the API root (no database) in the same process, and
the result is reported as the ratio of the two p99. Bounded in time, loopback
only. Goal: p99 < 50 ms.

How the 50 clients start matters for the tail. In the measured runs they
connect over ``RAMP_S`` seconds (as clients of a public API arrive) and
locust's statistics are reset once all 50 are connected (``--reset-stats``):
the percentiles are those of 50 clients in steady state, for ``MEASURED_S``
seconds. The start-up burst (all 50 clients connecting and sending their first
query in the same millisecond) is measured on its own and reported beside: on
two cores shared with PostgreSQL and the load generator, that queue of 50
simultaneous first requests alone is about 5 % of a 20 s run and sets its p99.

Environment: ``BENCH_WORKERS`` and ``BENCH_THREADS`` (gunicorn), ``BENCH_ADMIN_URL``
(default ``postgres://postgres@127.0.0.1:5432/test``), ``BENCH_API_DB`` (default
``barometre_bench_api``, dropped and created each run).
"""

from __future__ import annotations

import csv
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
USERS = 50
#: clients connect at USERS / RAMP_S per second, then MEASURED_S seconds are measured
RAMP_S = 5
MEASURED_S = 40
#: the start-up burst run: every client at once, nothing reset
BURST_S = 20
GOAL_P99_MS = 50.0
BREAKDOWNS = ["ensemble", "strate", "type", "region", "groupe"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _database(admin_url: str, name: str) -> str:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return admin_url.rsplit("/", 1)[0] + "/" + name


def _locust(
    host: str,
    mode: str,
    csv_prefix: Path,
    env: dict[str, str],
    indicators: str,
    access_log: Path,
    wait: str = "think",
    burst: bool = False,
) -> tuple[dict[str, float], dict[str, float]]:
    """One locust run; returns its client-side and server-side percentiles over the same window.

    Ramped runs (``burst=False``) spawn the clients over ``RAMP_S`` seconds and reset the
    statistics once they are all connected; the access-log mark is taken at that moment too, so
    the server-side figures cover the same steady-state window. ``burst=True`` starts every
    client in the same instant and measures everything.
    """
    rate = USERS if burst else max(1, USERS // RAMP_S)
    duration = BURST_S if burst else RAMP_S + MEASURED_S
    cmd = [
        str(BIN / "locust"),
        "-f",
        str(ROOT / "benchmarks" / "locustfile_api.py"),
        "--headless",
        "-u",
        str(USERS),
        "-r",
        str(rate),
        "-t",
        f"{duration}s",
        "--host",
        host,
        "--csv",
        str(csv_prefix),
        "--only-summary",
        "--loglevel",
        "ERROR",
    ]
    if not burst:
        cmd.append("--reset-stats")
    mark = _log_lines(access_log)
    proc = subprocess.Popen(
        cmd,
        env={**env, "API_LOAD_MODE": mode, "API_LOAD_INDICATORS": indicators, "API_LOAD_WAIT": wait},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    if not burst:
        time.sleep(USERS / rate)
        mark = _log_lines(access_log)
    proc.wait(timeout=duration + 60)
    time.sleep(1.0)  # the last access-log lines
    server = _server_times(access_log, mark)
    with open(f"{csv_prefix}_stats.csv", encoding="utf-8") as fh:
        row = next(r for r in csv.DictReader(fh) if r["Name"] == "Aggregated")
    client = {
        "requests": float(row["Request Count"]),
        "failures": float(row["Failure Count"]),
        "rps": float(row["Requests/s"]),
        "p50": float(row["50%"]),
        "p95": float(row["95%"]),
        "p99": float(row["99%"]),
        "max": float(row["100%"]),
    }
    return client, server


def _log_lines(path: Path) -> int:
    with open(path, encoding="utf-8", errors="replace") as fh:
        return sum(1 for _ in fh)


def _server_times(path: Path, start: int) -> dict[str, float]:
    """Percentiles of gunicorn's request time (``%(M)s``, ms) of the access-log lines after ``start``."""
    import re

    with open(path, encoding="utf-8", errors="replace") as fh:
        lines = fh.readlines()[start:]
    times = sorted(float(m.group(1)) for line in lines if (m := re.search(r" (\d+)ms$", line.strip())))
    if not times:
        return {"n": 0, "p50": float("nan"), "p95": float("nan"), "p99": float("nan")}

    def pct(q: float) -> float:
        return times[min(len(times) - 1, int(q * len(times)))]

    return {"n": len(times), "p50": pct(0.5), "p95": pct(0.95), "p99": pct(0.99)}


def run(with_r: bool) -> None:
    admin = os.environ.get("BENCH_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/test")
    url = _database(admin, os.environ.get("BENCH_API_DB", "barometre_bench_api"))
    tmp = Path(tempfile.mkdtemp(prefix="barometre-api-load-"))
    env = {**os.environ, "DATABASE_URL": url, "BAROMETRE_DATA_DIR": str(tmp), "DEBUG": "0"}
    barometre = str(BIN / "barometre")
    for args in (["manage", "migrate", "-v0"], ["registry", "load"], ["edition", "simulate", "--edition", "2025"]):
        subprocess.run([barometre, *args], env=env, check=True, capture_output=True, timeout=600)
    count_code = (
        "import django,os;os.environ['DJANGO_SETTINGS_MODULE']='barometre.web.settings';django.setup();"
        "from barometre.apps.editions.models import IndicatorEstimate as E;"
        "print(E.objects.count());print(','.join(sorted(set(E.objects.values_list('indicator',flat=True)))))"
    )
    out = subprocess.run([sys.executable, "-c", count_code], env=env, check=True, capture_output=True, text=True)
    rows, indicators = out.stdout.split()
    port = _free_port()
    access_log = tmp / "access.log"
    log_fh = open(access_log, "w", encoding="utf-8")  # noqa: SIM115 - closed after the server stops
    server = subprocess.Popen(
        [
            barometre,
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            os.environ.get("BENCH_WORKERS", str(os.cpu_count() or 2)),
            "--threads",
            os.environ.get("BENCH_THREADS", "4"),
        ],
        env=env,
        stdout=log_fh,
        stderr=subprocess.DEVNULL,
    )
    host = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(host + "/api/v1/", timeout=2).read()  # noqa: S310 - loopback
                break
            except OSError:
                time.sleep(0.2)
        # warm-up (not measured): the workers import everything and their caches hold the pages
        # a steady service would have served already (every indicator × breakdown, a few times over)
        paths = ["/api/v1/"]
        for ind in indicators.split(","):
            paths.append(f"/api/v1/estimates?edition=2025&indicator={ind}")
            paths += [f"/api/v1/estimates?edition=2025&indicator={ind}&breakdown={b}" for b in BREAKDOWNS]
        for _ in range(3):
            for path in paths:
                urllib.request.urlopen(host + path, timeout=10).read()  # noqa: S310 - loopback
        server_side = {}
        results = {}
        for name, mode, wait, burst in (
            ("ref", "reference", "think", False),
            ("est", "estimates", "think", False),
            ("burst", "estimates", "think", True),
            ("stress", "estimates", "none", False),
        ):
            results[name], server_side[name] = _locust(
                host, mode, tmp / name, env, indicators, access_log, wait=wait, burst=burst
            )
        ref, est = results["ref"], results["est"]
    finally:
        server.terminate()
        server.wait(timeout=30)
        log_fh.close()
    print(
        f"API load (PostgreSQL, {USERS} concurrent clients, {rows} estimates in the database, "
        f"gunicorn {os.environ.get('BENCH_WORKERS', os.cpu_count() or 2)} workers)"
    )
    print(
        f"  clients pause 0.5-1.5 s between queries (the stress run: back to back); steady state: "
        f"clients connect over {RAMP_S} s, then {MEASURED_S} s measured"
    )
    for key, name in (
        ("ref", "reference: API root, no database"),
        ("est", "estimates queries, steady state"),
        ("burst", f"start-up burst: {USERS} at once, {BURST_S} s"),
        ("stress", "stress: estimates, no pause"),
    ):
        r = results[key]
        print(
            f"  {name:38s} {r['requests']:6.0f} requests, {r['failures']:.0f} failures, {r['rps']:6.1f} req/s, "
            f"client-side p50 {r['p50']:.0f} ms, p95 {r['p95']:.0f} ms, p99 {r['p99']:.0f} ms, max {r['max']:.0f} ms"
        )
        sv = server_side[key]
        print(
            f"  {'':38s} server-side (gunicorn request time, {sv['n']:.0f} requests): p50 {sv['p50']:.0f} ms, "
            f"p95 {sv['p95']:.0f} ms, p99 {sv['p99']:.0f} ms"
        )
    ratio = est["p99"] / ref["p99"] if ref["p99"] else float("nan")
    verdict = "met" if est["p99"] < GOAL_P99_MS else "NOT met"
    print(
        f"  p99 ratio estimates / reference (client-side, steady state): {ratio:.2f}; "
        f"goal p99 < {GOAL_P99_MS:.0f} ms at {USERS} clients: {verdict} ({est['p99']:.0f} ms client-side, "
        f"{server_side['est']['p99']:.0f} ms server-side)"
    )
