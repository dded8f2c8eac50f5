"""Console benchmarks (SQLite in a temporary directory, loopback only, bounded):

1. the monitoring page of an edition with 36,000 invitations and 5,000 submitted responses,
   server-side (Django test client, signed-in analyst), against a reference measured in the same
   run: one plain aggregate query over the same responses (goal: page < 300 ms);
2. sending 5,000 invitations (one contact each) to a local SMTP server (aiosmtpd), against raw
   smtplib sending the same number of messages on one connection (goal: < 60 s); and the
   web request that starts the sending, which only queues a job (never blocks).
"""

from __future__ import annotations

import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time

INVITED = int(os.environ.get("BENCH_INVITED", "36000"))
SUBMITTED = int(os.environ.get("BENCH_SUBMITTED", "5000"))
EMAILS = int(os.environ.get("BENCH_EMAILS", "5000"))
REPEAT = 15
GOAL_PAGE_MS = 300.0
GOAL_SEND_S = 60.0


def _ms(samples: list[float]) -> str:
    return f"median {statistics.median(samples):.1f} ms, max {max(samples):.1f} ms"


def _child() -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from barometre.apps.console import accounts, mailing
    from barometre.apps.console.models import Contact
    from barometre.apps.editions.models import Edition, Response, SampleUnit
    from barometre.apps.registry.models import Authority
    from barometre.core.registry import Stratum

    strata = [s.value for s in Stratum]
    regions = ["11", "24", "27", "28", "32", "44", "52", "53", "75", "76", "84", "93", "94", "01", "02", "03", "04"]
    Authority.objects.bulk_create(
        [
            Authority(
                code=f"{10000 + i:05d}",
                name=f"Collectivité {i}",
                name_search=f"collectivite {i}",
                kind="commune",
                type="COM",
                population_municipale=100 + (i * 37) % 50000,
                population_millesime=2023,
                stratum=strata[i % len(strata)],
                region=regions[(i // 7) % len(regions)],
            )
            for i in range(INVITED)
        ],
        batch_size=2000,
    )
    today = timezone.localdate()
    edition = Edition.objects.create(
        year=2026,
        questionnaire_version="2025.1",
        questionnaire_year=2025,
        state="open",
        frame_version="bench",
        opens_on=today,
        closes_on=today.replace(year=today.year + 1),
        organiser="Banc d'essai",
    )
    now = timezone.now()
    ids = list(Authority.objects.order_by("pk").values_list("pk", flat=True))
    Response.objects.bulk_create(
        [
            Response(
                edition=edition,
                authority_id=pk,
                status="submitted" if (i * 7919) % INVITED < SUBMITTED else "invited",
                submitted_at=now if (i * 7919) % INVITED < SUBMITTED else None,
            )
            for i, pk in enumerate(ids)
        ],
        batch_size=2000,
    )
    password = secrets.token_urlsafe(12)
    accounts.create_user("bench@example.fr", "analyst", password=password)
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get()
    client = Client(HTTP_HOST="127.0.0.1")
    code = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
    assert (
        client.post(
            "/console/connexion/", {"email": "bench@example.fr", "password": password, "code": code}
        ).status_code
        == 302
    )
    from django.db.models import Count

    reference, page = [], []
    for _ in range(REPEAT):
        t = time.perf_counter()
        list(edition.responses.values("status").annotate(n=Count("id")))
        reference.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        r = client.get("/console/editions/2026/suivi/")
        page.append((time.perf_counter() - t) * 1000)
        assert r.status_code == 200
    ratio = statistics.median(page) / statistics.median(reference)
    verdict = "OK" if statistics.median(page) < GOAL_PAGE_MS else "ABOVE GOAL"
    print(
        f"monitoring page, {INVITED} invitations / {SUBMITTED} submitted: {_ms(page)} "
        f"(goal < {GOAL_PAGE_MS:.0f} ms: {verdict}); reference aggregate query {_ms(reference)}; ratio {ratio:.1f}×"
    )

    # --- e-mails
    import smtplib
    import socket
    from email.message import EmailMessage

    from aiosmtpd.controller import Controller
    from django.conf import settings

    class Sink:
        count = 0

        async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
            Sink.count += 1
            return "250 OK"

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    controller = Controller(Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        t = time.perf_counter()
        with smtplib.SMTP("127.0.0.1", port) as smtp:
            for i in range(EMAILS):
                msg = EmailMessage()
                msg["From"], msg["To"], msg["Subject"] = "b@example.fr", f"c{i}@example.fr", "Baromètre"
                msg.set_content("Bonjour, votre lien : http://127.0.0.1:8000/repondre/xxxxxxxx/\n" * 8)
                smtp.send_message(msg)
        raw_s = time.perf_counter() - t
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.BAROMETRE_QUESTIONNAIRES_DIR = None
        chosen = ids[:EMAILS]
        SampleUnit.objects.bulk_create(
            [SampleUnit(edition=edition, authority_id=pk, stratum="s", inclusion_probability=1.0) for pk in chosen]
        )
        Contact.objects.bulk_create(
            [Contact(edition=edition, authority_id=pk, email=f"contact{pk}@example.fr") for pk in chosen]
        )
        # the web request only queues the job
        t = time.perf_counter()
        r = client.post("/console/editions/2026/envoyer/")
        request_ms = (time.perf_counter() - t) * 1000
        assert r.status_code == 302
        Sink.count = 0
        t = time.perf_counter()
        report = mailing.send_invitations(edition)
        send_s = time.perf_counter() - t
    finally:
        controller.stop()
    verdict = "OK" if send_s < GOAL_SEND_S else "ABOVE GOAL"
    print(
        f"{EMAILS} invitations to a local SMTP server: {send_s:.1f} s, {report.sent} sent, {report.failed} failed, "
        f"{Sink.count} received (goal < {GOAL_SEND_S:.0f} s: {verdict}); raw smtplib reference {raw_s:.1f} s; "
        f"ratio {send_s / raw_s:.1f}×; the console request that starts it: {request_ms:.0f} ms (queues a job)"
    )


def run(with_r: bool = False) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ)
        env.update(
            {
                "BAROMETRE_DATA_DIR": tmp,
                "DATABASE_URL": "",
                "DJANGO_SETTINGS_MODULE": "barometre.web.settings",
                "DEBUG": "0",
                "LOG_LEVEL": "ERROR",
            }
        )
        subprocess.run([sys.executable, "-m", "benchmarks.console_bench", "--child"], env=env, check=True, timeout=600)


if __name__ == "__main__":
    if "--child" in sys.argv:
        _child()
    else:
        run()
