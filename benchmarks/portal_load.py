"""Load test of the portal's autosave endpoint on PostgreSQL, on loopback.

100 concurrent respondents (threads with ``http.client`` keep-alive connections) each
open their own secret link and save answers one by one through the autosave endpoint of
``barometre serve`` (gunicorn, started as a subprocess). Two phases:

- *respondents*: each respondent waits a little between two answers (think time), the
  realistic load — the goal is p99 < 150 ms with no error;
- *stress*: no think time, to show the throughput ceiling of the machine.

Afterwards every answer sent is looked up in the database (the last value sent for each
question must be the stored one). Bounded: fixed request counts and a time limit; loopback only.

Environment: ``BENCH_ADMIN_URL`` (a PostgreSQL URL used to create the database,
default ``postgres://postgres@127.0.0.1:5432/test``) and ``BENCH_DB`` (default
``barometre_bench``, dropped and created again at each run).
"""

from __future__ import annotations

import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

RESPONDENTS = int(os.environ.get("BENCH_RESPONDENTS", "100"))
REQUESTS_PER_RESPONDENT = 20
STRESS_REQUESTS_PER_RESPONDENT = 10
#: Pause of a respondent between two answers, in seconds (a person reads and answers a question).
THINK_TIME_S = (1.0, 3.0)
TIME_LIMIT_S = 180.0
GOAL_P99_MS = 150.0
#: Reconnect before a request when the keep-alive connection was idle this long.
IDLE_RECONNECT_S = 1.5
HOST = "127.0.0.1"
EDITION = 2026
SERVER_WORKERS = int(os.environ.get("BENCH_WORKERS", str(os.cpu_count() or 2)))
SERVER_THREADS = int(os.environ.get("BENCH_THREADS", "4"))
ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _answers_for(i: int, k: int) -> tuple[str, str, str]:
    """The k-th answer of respondent i: (section, question, value), all valid in the 2025 questionnaire."""
    cycle = [
        ("collectivite", "population", str(1000 + 37 * i + k)),
        ("collectivite", "nb_agents", str(50 + k)),
        ("collectivite", "agents_informatique", str(k % 10)),
        ("collectivite", "type_collectivite", "commune" if k % 2 else "epci"),
        ("collectivite", "role_repondant", "secretaire_mairie" if k % 3 else "elu"),
        ("cyber", "rssi", "interne" if k % 2 else "non"),
        ("donnees", "strategie_donnees", "adopte" if k % 2 else "non"),
    ]
    return cycle[k % len(cycle)]


@dataclass
class Result:
    latencies_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    expected: dict[tuple[str, str], str] = field(default_factory=dict)
    #: Latencies of requests on a new connection and on a kept-alive one.
    fresh_ms: list[float] = field(default_factory=list)
    reused_ms: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def _env(db_url: str, data_dir: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": db_url,
            "BAROMETRE_DATA_DIR": data_dir,
            "DJANGO_SETTINGS_MODULE": "barometre.web.settings",
            "DEBUG": "0",
            "LOG_LEVEL": "ERROR",
        }
    )
    return env


def _create_database(admin_url: str, name: str) -> str:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    base = admin_url.rsplit("/", 1)[0]
    return f"{base}/{name}"


def _setup_in_subprocess() -> None:
    """(Run by a subprocess with the bench environment.) Authorities, edition, links → JSON on stdout."""
    import django

    django.setup()
    from barometre.apps.portal import services
    from barometre.apps.registry.models import Authority
    from barometre.core.registry.search import normalize

    authorities = []
    for i in range(RESPONDENTS):
        name = f"Commune de charge {i}"
        authorities.append(
            Authority(
                code=f"B{i:05d}",
                name=name,
                name_search=normalize(name),
                kind="commune",
                type="COM",
                population_municipale=500 + i,
                population_millesime=2023,
                stratum="communes_moins_3500",
                region="84",
                departement="01",
            )
        )
    Authority.objects.bulk_create(authorities)
    edition, _ = services.ensure_open_edition(EDITION, defaults={"help_email": "aide@example.org"})
    tokens = []
    for a in Authority.objects.filter(code__startswith="B").order_by("code"):
        invited = services.invite(edition, a)
        tokens.append(invited.token)
    sys.stdout.write(json.dumps(tokens))


def _read_answers(db_url: str) -> dict[tuple[str, str], object]:
    import psycopg

    with psycopg.connect(db_url) as conn:
        rows = conn.execute(
            "SELECT i.prefix, a.question_id, a.value FROM editions_answer a "
            "JOIN portal_invitation i ON i.response_id = a.response_id AND i.section = ''"
        ).fetchall()
    return {(prefix, qid): value for prefix, qid, value in rows}


class Respondent:
    def __init__(self, port: int, token: str, index: int) -> None:
        self.port = port
        self.token = token
        self.index = index
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection(HOST, port, timeout=30)
        self.last_used = time.monotonic()
        self.fresh = True
        self.retries = 0
        #: Version of each answer as the server last acknowledged it (the form's ``_v-`` fields).
        self.versions: dict[str, str] = {}

    def _request(self, method: str, path: str, body: str | None = None) -> tuple[int, bytes]:
        headers = {"Host": f"{HOST}:{self.port}", "Accept": "application/json"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if time.monotonic() - self.last_used > IDLE_RECONNECT_S:
            # The server closes idle keep-alive connections (gunicorn: 2 s): do not race it.
            self.conn.close()
            self.conn = http.client.HTTPConnection(HOST, self.port, timeout=30)
            self.fresh = True
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                resp = self.conn.getresponse()
                data = resp.read()
                break
            except (http.client.HTTPException, OSError):
                self.retries += 1
                self.conn.close()
                self.conn = http.client.HTTPConnection(HOST, self.port, timeout=30)
                if attempt:
                    raise
        self.last_used = time.monotonic()
        for header in resp.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for k, morsel in cookie.items():
                self.cookies[k] = morsel.value
        return resp.status, data

    def open(self) -> None:
        status, _ = self._request("GET", f"/repondre/{self.token}/section/collectivite/")
        if status != 200 or "csrftoken" not in self.cookies:
            raise RuntimeError(f"section page: HTTP {status}")

    def save(self, k: int, result: Result) -> None:
        from urllib.parse import urlencode

        section, qid, value = _answers_for(self.index, k)
        body = urlencode(
            {
                "csrfmiddlewaretoken": self.cookies["csrftoken"],
                "section": section,
                "changed": qid,
                qid: value,
                f"_v-{qid}": self.versions.get(qid, "0"),
            }
        )
        start = time.perf_counter()
        self.fresh = False
        try:
            status, data = self._request("POST", f"/repondre/{self.token}/enregistrer/", body)
        except Exception as exc:  # counted as an error, never raised
            with result.lock:
                result.errors.append(f"{type(exc).__name__}")
            return
        elapsed = (time.perf_counter() - start) * 1000
        with result.lock:
            result.latencies_ms.append(elapsed)
            (result.fresh_ms if self.fresh else result.reused_ms).append(elapsed)
            if status != 200:
                result.errors.append(f"HTTP {status}: {data[:120]!r}")
            else:
                result.expected[(self.token[:8], qid)] = value
        if status == 200:
            self.versions.update(json.loads(data).get("versions", {}))


def _phase(
    port: int, tokens: list[str], per_respondent: int, think: tuple[float, float] | None, offset: int
) -> tuple[Result, float]:
    result = Result()
    deadline = time.monotonic() + TIME_LIMIT_S
    barrier = threading.Barrier(len(tokens))

    def worker(i: int, token: str) -> None:
        rng = random.Random(i)
        try:
            r = Respondent(port, token, i)
            r.open()
        except Exception as exc:
            with result.lock:
                result.errors.append(f"open: {exc}")
            barrier.abort()
            return
        try:
            barrier.wait(timeout=60)
        except threading.BrokenBarrierError:
            return
        if think:
            # Respondents arrive at their own pace: without this stagger all of them would
            # answer at the same instant, a burst no real survey sees (the stress phase keeps it).
            time.sleep(rng.uniform(0.0, think[1]))
        for k in range(offset, offset + per_respondent):
            if time.monotonic() > deadline:
                with result.lock:
                    result.errors.append("time limit reached")
                break
            r.save(k, result)
            if think:
                time.sleep(rng.uniform(*think))
        r.conn.close()

    threads = [threading.Thread(target=worker, args=(i, t)) for i, t in enumerate(tokens)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return result, time.perf_counter() - start


def _warm_up(port: int, token: str) -> None:
    """Every worker imports the application and loads the questionnaire on its first requests
    (seconds): do it before measuring."""

    def hit() -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=60)
        conn.request("GET", f"/repondre/{token}/section/collectivite/")
        conn.getresponse().read()
        conn.close()

    for _ in range(3):
        threads = [threading.Thread(target=hit) for _ in range(4 * SERVER_WORKERS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()


def _report(name: str, result: Result, elapsed: float) -> dict[str, Any]:
    # Where the tail comes from: requests on new connections or on kept-alive ones.
    if result.latencies_ms:
        for label, values in (("new connection", result.fresh_ms), ("kept alive", result.reused_ms)):
            v = sorted(values)
            if v:
                print(
                    f"    {label}: n={len(v)} p50={v[len(v) // 2]:.0f} p99={v[int(len(v) * 0.99)]:.0f} max={v[-1]:.0f}"
                )
    lat = sorted(result.latencies_ms)
    q = statistics.quantiles(lat, n=100, method="inclusive") if len(lat) >= 2 else [float("nan")] * 99
    out = {
        "phase": name,
        "requests": len(lat),
        "errors": len(result.errors),
        "seconds": round(elapsed, 2),
        "rps": round(len(lat) / elapsed, 1) if elapsed else 0.0,
        "p50_ms": round(q[49], 1),
        "p95_ms": round(q[94], 1),
        "p99_ms": round(q[98], 1),
        "max_ms": round(lat[-1], 1) if lat else float("nan"),
    }
    print(
        f"{name:12s} {out['requests']:6d} req  {out['rps']:7.1f} req/s  p50 {out['p50_ms']:6.1f} ms  "
        f"p95 {out['p95_ms']:6.1f} ms  p99 {out['p99_ms']:6.1f} ms  max {out['max_ms']:6.1f} ms  "
        f"errors {out['errors']}"
    )
    for e in result.errors[:5]:
        print(f"    error: {e}")
    return out


def run(with_r: bool = False) -> None:
    admin_url = os.environ.get("BENCH_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/test")
    db_url = _create_database(admin_url, os.environ.get("BENCH_DB", "barometre_bench"))
    with tempfile.TemporaryDirectory(prefix="barometre-bench-") as data_dir:
        env = _env(db_url, data_dir)
        subprocess.run([str(BIN / "barometre"), "manage", "migrate", "--no-input", "-v", "0"], env=env, check=True)
        setup = subprocess.run(
            [sys.executable, "-c", "from benchmarks.portal_load import _setup_in_subprocess as s; s()"],
            env={**env, "PYTHONPATH": str(ROOT)},
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        )
        tokens: list[str] = json.loads(setup.stdout)
        port = _free_port()
        server = subprocess.Popen(
            [
                str(BIN / "barometre"),
                "serve",
                "--host",
                HOST,
                "--port",
                str(port),
                "--workers",
                str(SERVER_WORKERS),
                "--threads",
                str(SERVER_THREADS),
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            for _ in range(200):
                try:
                    socket.create_connection((HOST, port), timeout=0.2).close()
                    break
                except OSError:
                    time.sleep(0.1)
            else:
                raise RuntimeError("barometre serve did not start")
            _warm_up(port, tokens[0])
            print(
                f"{RESPONDENTS} respondents, gunicorn {SERVER_WORKERS} workers × {SERVER_THREADS} threads, "
                f"PostgreSQL {db_url.rsplit('/', 1)[1]}, autosave endpoint"
            )
            realistic, t1 = _phase(port, tokens, REQUESTS_PER_RESPONDENT, THINK_TIME_S, 0)
            first = _report("respondents", realistic, t1)
            stress, t2 = _phase(port, tokens, STRESS_REQUESTS_PER_RESPONDENT, None, REQUESTS_PER_RESPONDENT)
            _report("stress", stress, t2)
        finally:
            server.terminate()
            server.wait(timeout=30)
        expected = {**realistic.expected, **stress.expected}
        stored = _read_answers(db_url)
        missing = [key for key, value in expected.items() if str(stored.get(key)) != str(value)]
        print(f"answers checked in the database: {len(expected)}, missing or different: {len(missing)}")
        verdict = first["p99_ms"] < GOAL_P99_MS and first["errors"] == 0 and not missing
        print(f"goal (p99 < {GOAL_P99_MS:.0f} ms, no error, every answer stored): {'met' if verdict else 'NOT met'}")


if __name__ == "__main__":
    run()
