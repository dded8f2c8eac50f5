"""Search and chart images under load, on PostgreSQL, on loopback (issue: search as a denial of service).

``barometre serve`` (gunicorn) on PostgreSQL holding the registry (36,000 authorities) and one
simulated edition. Measured, with a reference measured in the same run:

- ``GET /api/v1/authorities?q=sai&page_size=1`` (all matches ranked, counted and paged in SQL):
  first request (nothing cached) and median of repeated ones, against the API root (no database);
  goal < 300 ms;
- ``GET /`` while 12 clients search the registry back to back with ever-changing 3-letter queries
  (never cached: the database does the work each time), against ``GET /`` on an idle server;
  goal: ``GET /`` stays under 1 s;
- a chart PNG of the explorer: first request (drawn) against the next ones (cached per data version).

Environment: ``BENCH_ADMIN_URL`` (default ``postgres://postgres@127.0.0.1:5432/test``),
``BENCH_SEARCH_DB`` (default ``barometre_bench_search``, dropped and created each run).
"""

from __future__ import annotations

import itertools
import os
import statistics
import string
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from benchmarks.api_load import BIN, _database, _free_port

PARALLEL = 12
LOAD_SECONDS = 20
GOAL_SEARCH_MS = 300.0
GOAL_HOME_MS = 1000.0


def _get(url: str) -> float:
    start = time.perf_counter()
    try:
        urllib.request.urlopen(url, timeout=60).read()  # noqa: S310 - loopback
    except urllib.error.HTTPError as exc:
        exc.read()
    return (time.perf_counter() - start) * 1000


def _median(url: str, n: int = 15) -> float:
    return statistics.median(_get(url) for _ in range(n))


def run(with_r: bool) -> None:
    admin = os.environ.get("BENCH_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/test")
    url = _database(admin, os.environ.get("BENCH_SEARCH_DB", "barometre_bench_search"))
    tmp = Path(tempfile.mkdtemp(prefix="barometre-search-load-"))
    env = {**os.environ, "DATABASE_URL": url, "BAROMETRE_DATA_DIR": str(tmp), "DEBUG": "0"}
    barometre = str(BIN / "barometre")
    for args in (["manage", "migrate", "-v0"], ["registry", "load"], ["edition", "simulate", "--edition", "2025"]):
        subprocess.run([barometre, *args], env=env, check=True, capture_output=True, timeout=900)
    count = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django,os;os.environ['DJANGO_SETTINGS_MODULE']='barometre.web.settings';django.setup();"
            "from barometre.apps.registry.models import Authority as A;print(A.objects.filter(active=True).count())",
        ],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    port = _free_port()
    host = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [barometre, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "2", "--threads", "8"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(host + "/api/v1/", timeout=2).read()  # noqa: S310 - loopback
                break
            except OSError:
                time.sleep(0.2)
        for path in ("/", "/api/v1/authorities?q=ren", "/resultats/"):
            _get(host + path)  # warm-up: imports, connections
        search = host + "/api/v1/authorities?q=sai&page_size=1"
        cold_search = _get(search)
        ref_api = _median(host + "/api/v1/")
        warm_search = _median(search)
        idle_home = _median(host + "/")
        matches = urllib.request.urlopen(search, timeout=30).read()  # noqa: S310 - loopback
        total = matches.split(b'"count":', 1)[1].split(b",", 1)[0].decode()

        queries = ("".join(t) for t in itertools.product(string.ascii_lowercase, "aeiou", "rnlst"))
        lock = threading.Lock()
        stop = time.monotonic() + LOAD_SECONDS
        searched: list[float] = []

        def searcher() -> None:
            while time.monotonic() < stop:
                with lock:
                    q = next(queries)
                searched.append(_get(f"{host}/api/v1/authorities?q={q}&page_size=20"))

        threads = [threading.Thread(target=searcher) for _ in range(PARALLEL)]
        for t in threads:
            t.start()
        home: list[float] = []
        time.sleep(1.0)
        while time.monotonic() < stop - 0.5:
            home.append(_get(host + "/"))
            time.sleep(0.2)
        for t in threads:
            t.join()

        png = host + "/resultats/rssi/graphique.png?edition=2025&breakdown=strate"
        png_first = _get(png)
        png_cached = _median(png, 5)
    finally:
        server.terminate()
        server.wait(timeout=30)
    home.sort()
    p95 = home[min(len(home) - 1, int(0.95 * len(home)))]
    print(f"Search and charts under load (PostgreSQL, {count} active authorities, gunicorn 2 workers x 8 threads)")
    print(f"  reference: GET /api/v1/ (no database), median {ref_api:.0f} ms; GET / idle, median {idle_home:.0f} ms")
    print(
        f"  q=sai&page_size=1 ({total} matches): first {cold_search:.0f} ms, median {warm_search:.0f} ms "
        f"(ratio to the API root {warm_search / ref_api:.1f}); goal < {GOAL_SEARCH_MS:.0f} ms: "
        f"{'met' if max(cold_search, warm_search) < GOAL_SEARCH_MS else 'NOT met'}"
    )
    print(
        f"  {PARALLEL} clients searching back to back for {LOAD_SECONDS} s ({len(searched)} uncached searches, "
        f"median {statistics.median(searched):.0f} ms): GET / median {statistics.median(home):.0f} ms, "
        f"p95 {p95:.0f} ms, max {home[-1]:.0f} ms ({len(home)} requests; ratio to idle "
        f"{statistics.median(home) / idle_home:.1f}); goal < {GOAL_HOME_MS:.0f} ms: "
        f"{'met' if home[-1] < GOAL_HOME_MS else 'NOT met'}"
    )
    print(f"  chart PNG: first (drawn) {png_first:.0f} ms, next (cached) median {png_cached:.0f} ms")


if __name__ == "__main__":
    run(False)
