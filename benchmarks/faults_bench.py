"""Load and faults of the portal on PostgreSQL: 500 paced respondents, then kill -9 mid-burst.

*Respondents*: 500 concurrent respondents (threads, keep-alive ``http.client``), each
pausing 5–15 s between two autosaves as a person would. Goal: autosave p99 < 150 ms,
no error, every acknowledged answer in the database.

*kill -9*: 50 respondents save without pause; after 300 acknowledged saves the whole server (gunicorn master
and workers) is killed with SIGKILL and started again; the respondents keep going (a save
that got no answer is "sent, not acknowledged"; a save over an answer that changed without
their knowing gets the explicit conflict and is sent again with the version it answered).
Afterwards: no acknowledged answer lost (the stored value is the last acknowledged one or
one sent after it), none duplicated, and ``barometre responses check`` identical.

*Edition row held*: 20 authorities save while another transaction holds the edition row,
against 20 others saving without it: the ratio of their medians shows saves no longer queue.

Bounded (fixed counts, time limit), loopback only. Environment as :mod:`benchmarks.portal_load`
(``BENCH_ADMIN_URL``), database ``BENCH_FAULTS_DB`` (default ``barometre_bench_faults``).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from typing import Any

from benchmarks.portal_load import (
    BIN,
    HOST,
    ROOT,
    Respondent,
    _answers_for,
    _create_database,
    _env,
    _free_port,
    _phase,
    _report,
    _warm_up,
)

PACED_RESPONDENTS = int(os.environ.get("BENCH_PACED_RESPONDENTS", "500"))
PACED_SAVES = int(os.environ.get("BENCH_PACED_SAVES", "6"))
PACING_S = (5.0, 15.0)
BURST_RESPONDENTS = 50
#: Respondents of each half of the edition-lock phase (without, then with the edition row held).
LOCK_RESPONDENTS = 20
BURST_SAVES = 40
#: The server is killed once this many burst saves were acknowledged (mid-burst: 2,000 are sent).
KILL_AFTER_ACKNOWLEDGED = 300
GOAL_P99_MS = 150.0
WORKERS = int(os.environ.get("BENCH_WORKERS", str(os.cpu_count() or 2)))
THREADS = int(os.environ.get("BENCH_THREADS", "8"))


def _start(port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [
            str(BIN / "barometre"),
            "serve",
            "--host",
            HOST,
            "--port",
            str(port),
            "--workers",
            str(WORKERS),
            "--threads",
            str(THREADS),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: kill -9 reaches the master and every worker
    )
    for _ in range(300):
        try:
            socket.create_connection((HOST, port), timeout=0.2).close()
            return server
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("barometre serve did not start")


def _kill9(server: subprocess.Popen[bytes]) -> None:
    os.killpg(server.pid, signal.SIGKILL)
    server.wait(timeout=30)


def _stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


class _Burst:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        #: (prefix, question) → [(value, acknowledged)] in sending order.
        self.sent: dict[tuple[str, str], list[tuple[str, bool]]] = defaultdict(list)
        self.acknowledged = 0
        self.unanswered = 0
        self.conflicts = 0
        self.other = 0


def _burst_worker(port: int, token: str, i: int, out: _Burst, deadline: float) -> None:
    from urllib.parse import urlencode

    r = Respondent(port, token, i)
    while time.monotonic() < deadline:
        try:
            r.open()
            break
        except Exception:
            time.sleep(0.2)
    for k in range(BURST_SAVES):
        section, qid, value = _answers_for(i, k)
        conflicts_seen = 0
        while True:
            if time.monotonic() > deadline:
                return
            body = urlencode(
                {
                    "csrfmiddlewaretoken": r.cookies.get("csrftoken", ""),
                    "section": section,
                    "changed": qid,
                    qid: value,
                    f"_v-{qid}": r.versions.get(qid, "0"),
                }
            )
            try:
                status, data = r._request("POST", f"/repondre/{token}/enregistrer/", body)
            except Exception:
                with out.lock:
                    out.sent[(token[:8], qid)].append((value, False))
                    out.unanswered += 1
                time.sleep(0.5)  # the server is down: send the same answer again a moment later
                continue
            ok = status == 200
            with out.lock:
                out.sent[(token[:8], qid)].append((value, ok))
                if ok:
                    out.acknowledged += 1
                elif status == 409:
                    out.conflicts += 1
                else:
                    out.other += 1
            if ok:
                r.versions.update(json.loads(data).get("versions", {}))
                break
            if status == 409:
                conflict = json.loads(data).get("conflicts", {}).get(qid)
                if conflict and conflicts_seen == 0:
                    conflicts_seen += 1
                    r.versions[qid] = conflict["version"]  # seen: send it again, explicitly
                    continue
            break


def _verify(db_url: str, burst: _Burst) -> dict[str, int]:
    import psycopg

    with psycopg.connect(db_url) as conn:
        stored = {
            (prefix, qid): value
            for prefix, qid, value in conn.execute(
                "SELECT i.prefix, a.question_id, a.value FROM editions_answer a "
                "JOIN portal_invitation i ON i.response_id = a.response_id AND i.section = ''"
            ).fetchall()
        }
        duplicates = conn.execute(
            "SELECT count(*) FROM (SELECT response_id, question_id FROM editions_answer "
            "GROUP BY response_id, question_id HAVING count(*) > 1) d"
        ).fetchone()[0]
    lost = 0
    for key, history in burst.sent.items():
        acked = [n for n, (_v, ok) in enumerate(history) if ok]
        if not acked:
            continue
        allowed = {v for v, _ok in history[acked[-1] :]}
        if str(stored.get(key)) not in allowed:
            lost += 1
    return {"questions": len(burst.sent), "lost": lost, "duplicated": int(duplicates)}


def _check(env: dict[str, str], db_url: str) -> dict[str, Any]:
    import psycopg

    with psycopg.connect(db_url) as conn:  # submit every started response so that the check compares them
        conn.execute("UPDATE editions_response SET status = 'submitted', submitted_at = now() WHERE status = 'started'")
    out = subprocess.run(
        [str(BIN / "barometre"), "responses", "check", "--edition", "2026", "--format", "json"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return json.loads(out.stdout) if out.stdout.strip() else {"identical": False, "error": out.stderr.strip()}


def _edition_lock_phase(port: int, free_tokens: list[str], held_tokens: list[str], db_url: str) -> None:
    """Saves of different authorities while another transaction holds the edition row, against the
    same saves without it (reference measured in the same run): they must not queue behind it."""
    import psycopg

    def saves(tokens: list[str]) -> list[float]:
        result, _elapsed = _phase(port, tokens, 5, None, 0)
        if result.errors:
            print(f"    errors: {result.errors[:3]}")
        return sorted(result.latencies_ms)

    free = saves(free_tokens)
    with psycopg.connect(db_url) as holder:
        holder.execute("SELECT id FROM editions_edition FOR UPDATE").fetchall()  # held until the block ends
        held = saves(held_tokens)
        holder.rollback()
    p50 = lambda v: v[len(v) // 2] if v else float("nan")  # noqa: E731
    print(
        f"edition row held by another transaction: {len(held)} saves of {len(held_tokens)} authorities, "
        f"p50 {p50(held):.0f} ms, max {held[-1]:.0f} ms; without it p50 {p50(free):.0f} ms, max {free[-1]:.0f} ms "
        f"(ratio of p50 {p50(held) / p50(free):.2f})"
    )


def run(with_r: bool = False) -> None:
    admin_url = os.environ.get("BENCH_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/test")
    db_url = _create_database(admin_url, os.environ.get("BENCH_FAULTS_DB", "barometre_bench_faults"))
    with tempfile.TemporaryDirectory(prefix="barometre-faults-") as data_dir:
        env = _env(db_url, data_dir)
        subprocess.run([str(BIN / "barometre"), "manage", "migrate", "--no-input", "-v", "0"], env=env, check=True)
        total = PACED_RESPONDENTS + BURST_RESPONDENTS + 2 * LOCK_RESPONDENTS
        setup = subprocess.run(
            [sys.executable, "-c", "from benchmarks.portal_load import _setup_in_subprocess as s; s()"],
            env={**env, "PYTHONPATH": str(ROOT), "BENCH_RESPONDENTS": str(total)},
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        )
        tokens: list[str] = json.loads(setup.stdout)
        paced = tokens[:PACED_RESPONDENTS]
        bursting = tokens[PACED_RESPONDENTS : PACED_RESPONDENTS + BURST_RESPONDENTS]
        locking = tokens[PACED_RESPONDENTS + BURST_RESPONDENTS :]
        port = _free_port()
        server = _start(port, env)
        try:
            _warm_up(port, tokens[0])
            _edition_lock_phase(port, locking[:LOCK_RESPONDENTS], locking[LOCK_RESPONDENTS:], db_url)
            print(
                f"{PACED_RESPONDENTS} respondents × {PACED_SAVES} autosaves, {PACING_S[0]:.0f}–{PACING_S[1]:.0f} s "
                f"between saves; gunicorn {WORKERS} workers × {THREADS} threads; PostgreSQL"
            )
            result, elapsed = _phase(port, paced, PACED_SAVES, PACING_S, 0)
            first = _report("paced", result, elapsed)
            stored = _read(db_url)
            missing = [k for k, v in result.expected.items() if str(stored.get(k)) != str(v)]
            print(f"acknowledged answers: {len(result.expected)}, missing or different in the database: {len(missing)}")
            verdict = first["p99_ms"] < GOAL_P99_MS and first["errors"] == 0 and not missing
            print(
                f"goal (p99 < {GOAL_P99_MS:.0f} ms, no error, every acknowledged answer stored): "
                f"{'met' if verdict else 'NOT met'}"
            )

            burst = _Burst()
            deadline = time.monotonic() + 120
            threads = [
                threading.Thread(target=_burst_worker, args=(port, t, PACED_RESPONDENTS + j, burst, deadline))
                for j, t in enumerate(bursting)
            ]
            for t in threads:
                t.start()
            started = time.monotonic()
            while burst.acknowledged < KILL_AFTER_ACKNOWLEDGED and time.monotonic() - started < 30:
                time.sleep(0.05)
            before = burst.acknowledged
            _kill9(server)
            print(f"kill -9 of the server mid-burst, after {before} acknowledged saves")
            time.sleep(1.0)
            server = _start(port, env)
            for t in threads:
                t.join()
        finally:
            _stop(server)
        counts = _verify(db_url, burst)
        check = _check(env, db_url)
        print(
            f"burst: {BURST_RESPONDENTS} respondents × {BURST_SAVES} saves: acknowledged {burst.acknowledged}, "
            f"unanswered (server down) {burst.unanswered}, explicit conflicts {burst.conflicts}, other {burst.other}"
        )
        print(
            f"after kill -9: {counts['questions']} questions checked, acknowledged answers lost {counts['lost']}, "
            f"duplicated {counts['duplicated']}; responses check: saved {check.get('saved')}, exported "
            f"{check.get('exported')}, statistics {check.get('statistics')}, identical {check.get('identical')}"
        )
        ok = counts["lost"] == 0 and counts["duplicated"] == 0 and check.get("identical") is True
        print(f"goal (nothing acknowledged lost or duplicated, reconciliation identical): {'met' if ok else 'NOT met'}")


def _read(db_url: str) -> dict[tuple[str, str], object]:
    from benchmarks.portal_load import _read_answers

    return _read_answers(db_url)


if __name__ == "__main__":
    run()
