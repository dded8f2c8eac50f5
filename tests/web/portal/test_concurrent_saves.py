"""No answer silently lost: a save changes only what its form showed, and says when it collides.

Each question of a section form carries the version of its stored answer; a save over an
answer changed elsewhere since the page was shown is an explicit conflict (both values
shown, nothing written), and a question left as it was never overwrites another's change.
"""

from __future__ import annotations

import random
import threading
from typing import Any

import pytest
from django.db import connection, connections, transaction
from django.test import Client

from barometre.apps.editions import lifecycle
from barometre.apps.editions.models import Answer, Edition, EditionState
from barometre.apps.portal import services
from tests.web.portal.conftest import Link, form_versions, invite, open_edition
from tests.web.portal.forms import form_data

pytestmark = pytest.mark.django_db


def _answers(link: Link) -> dict[str, object]:
    return dict(Answer.objects.filter(response=link.response).values_list("question_id", "value"))


#: What the registry pre-fills in the profile form (the test authority: a commune of 420), saved with it.
PREFILLED = {"population": 420, "type_collectivite": "commune"}


def _form(client: Client, base: str, section: str) -> dict[str, list[str]]:
    r = client.get(f"{base}section/{section}/")
    assert r.status_code == 200
    return form_data(r.content.decode())


def _post(client: Client, base: str, section: str, data: dict[str, Any]) -> Any:
    return client.post(f"{base}section/{section}/", {**data, "action": "save"})


def test_two_tabs_changing_different_questions_keep_both_answers(link_a: Link) -> None:
    tab1, tab2 = Client(), Client()
    form1, form2 = _form(tab1, link_a.url(), "profil"), _form(tab2, link_a.url(), "profil")
    assert _post(tab1, link_a.url(), "profil", {**form1, "nb_agents": "10"}).status_code == 200
    # Tab 2 still shows nb_agents empty and posts the whole form: it must not delete tab 1's answer.
    assert _post(tab2, link_a.url(), "profil", {**form2, "commentaire": "depuis l'onglet 2"}).status_code == 200
    assert _answers(link_a) == {**PREFILLED, "nb_agents": 10, "commentaire": "depuis l'onglet 2"}


def test_two_tabs_changing_the_same_question_get_a_conflict_page_that_loses_nothing(link_a: Link) -> None:
    tab1, tab2 = Client(), Client()
    form1, form2 = _form(tab1, link_a.url(), "profil"), _form(tab2, link_a.url(), "profil")
    _post(tab1, link_a.url(), "profil", {**form1, "nb_agents": "10"})
    r = tab2.post(link_a.url("section/profil/"), {**form2, "nb_agents": "20", "action": "next"})
    assert r.status_code == 409  # not a redirect to the next section: the person must see it
    html = r.content.decode()
    assert 'id="portal-conflicts"' in html
    assert "votre valeur « 20 », valeur enregistrée « 10 »" in html
    assert _answers(link_a) == {**PREFILLED, "nb_agents": 10}
    # The conflict page shows tab 2's value with the current version: sending it again is explicit.
    again = form_data(html)
    assert again["nb_agents"] == ["20"]
    assert _post(tab2, link_a.url(), "profil", again).status_code == 200
    assert _answers(link_a) == {**PREFILLED, "nb_agents": 20}


def test_autosave_over_an_answer_changed_elsewhere_is_refused_with_both_values(link_a: Link) -> None:
    tab1, tab2 = Client(), Client()
    stale = form_versions(link_a, "profil")
    url = link_a.url("enregistrer/")
    assert tab1.post(url, {**stale, "section": "profil", "changed": "nb_agents", "nb_agents": "10"}).status_code == 200
    r = tab2.post(url, {**stale, "section": "profil", "changed": "nb_agents", "nb_agents": "20"})
    assert r.status_code == 409
    body = r.json()
    assert body["ok"] is False
    assert body["conflicts"]["nb_agents"]["mine"] == "20" and body["conflicts"]["nb_agents"]["theirs"] == "10"
    assert "10" in body["message"]
    assert _answers(link_a) == {"nb_agents": 10}
    # With the version the conflict answered, the next change replaces the stored value.
    version = body["conflicts"]["nb_agents"]["version"]
    mine = {"section": "profil", "changed": "nb_agents", "nb_agents": "20"}
    r = tab2.post(url, {**mine, services.version_field("nb_agents"): version})
    assert r.status_code == 200 and r.json()["versions"]["nb_agents"] == services.answer_version(20)
    assert _answers(link_a) == {"nb_agents": 20}


def test_a_save_without_versions_neither_overwrites_nor_deletes(client: Client, link_a: Link) -> None:
    shown = _form(client, link_a.url(), "profil")
    _post(client, link_a.url(), "profil", {**shown, "nb_agents": "10", "commentaire": "a"})
    r = client.post(link_a.url("section/profil/"), {"nb_agents": "12", "type_collectivite": "commune"})
    assert r.status_code == 409
    assert _answers(link_a) == {**PREFILLED, "nb_agents": 10, "commentaire": "a"}


def test_autosave_of_a_question_hidden_by_skip_logic_says_it_saved_nothing(client: Client, link_a: Link) -> None:
    url = link_a.url("enregistrer/")
    client.post(url, {**form_versions(link_a, "donnees"), "section": "donnees", "changed": "dpo", "dpo": "non"})
    r = client.post(
        url, {**form_versions(link_a, "donnees"), "section": "donnees", "changed": "dpo_type", "dpo_type": "interne"}
    )
    body = r.json()
    assert r.status_code == 422 and body["ok"] is False and body["ignored"] == ["dpo_type"]
    assert "ne s’applique pas" in body["message"]
    assert _answers(link_a) == {"dpo": "non"}


# ------------------------------------------------- main holder and delegate, 50 times

CHOICES: dict[str, list[Any]] = {
    "cyber_recit": ["récit A", "récit B", "récit C", ""],
    "mesures.mfa": ["en_place", "non", ""],
    "mesures.sauvegardes": ["en_place", "non", ""],
    "maturite_cyber": ["1", "2", "3", "4", "5", ""],
}
QUESTION_OF = {"cyber_recit": "cyber_recit", "mesures.mfa": "mesures", "mesures.sauvegardes": "mesures"}


def _changes(rng: random.Random, form: dict[str, list[str]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for name in rng.sample(sorted(CHOICES), rng.randint(1, 2)):
        shown = (form.get(name) or [""])[0]
        out[name] = rng.choice([v for v in CHOICES[name] if v != shown])
    return out


def _expected(name: str, value: str) -> object:
    return int(value) if name == "maturite_cyber" and value else (value or None)


def _run_rounds(link: Link, *, concurrent: bool, rounds: int = 50) -> dict[str, int]:
    main_inv = link.invitation
    _delegation, sub_token = services.delegate(main_inv, "cyber", "prestataire")
    main, sub = Client(), Client()
    bases = {"main": link.url(), "sub": f"/repondre/{sub_token}/"}
    clients = {"main": main, "sub": sub}
    first = _form(main, bases["main"], "cyber")
    _post(main, bases["main"], "cyber", {**first, "cyber_attaque": "oui"})
    rng = random.Random(19)
    counts = {"both_stored": 0, "conflict": 0}
    for _ in range(rounds):
        forms = {who: _form(clients[who], bases[who], "cyber") for who in ("main", "sub")}
        changes = {who: _changes(rng, forms[who]) for who in ("main", "sub")}
        statuses: dict[str, int] = {}
        bodies: dict[str, str] = {}

        def send(who: str, data: dict[str, Any], out: tuple[dict[str, int], dict[str, str]], start: Any) -> None:
            if start is not None:
                start.wait()
            try:
                r = _post(clients[who], bases[who], "cyber", data)
                out[0][who], out[1][who] = r.status_code, r.content.decode()
            finally:
                if start is not None:
                    connections.close_all()

        order = rng.sample(["main", "sub"], 2)
        sent = {who: {**forms[who], **changes[who]} for who in order}
        if concurrent:
            start = threading.Barrier(2)
            threads = [threading.Thread(target=send, args=(who, sent[who], (statuses, bodies), start)) for who in order]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        else:
            for who in order:
                send(who, sent[who], (statuses, bodies), None)
        stored = _answers(link)
        assert set(statuses.values()) <= {200, 409}, statuses
        # Per form field: what each party changed is stored, unless both changed it differently.
        for who, other in (("main", "sub"), ("sub", "main")):
            for name, value in changes[who].items():
                q = QUESTION_OF.get(name, name)
                got: Any = stored.get(q)
                if isinstance(got, dict) and "." in name:
                    got = got.get(name.split(".", 1)[1])
                want = _expected(name, value)
                clash = QUESTION_OF.get(name, name) in {QUESTION_OF.get(n, n) for n in changes[other]}
                if not clash:
                    assert got == want, (who, name, changes, statuses)
                elif got != want:
                    # Lost only with an explicit conflict page naming it, shown to that party.
                    assert statuses[who] == 409 and 'id="portal-conflicts"' in bodies[who], (who, name, changes)
        counts["conflict" if 409 in statuses.values() else "both_stored"] += 1
    return counts


@pytest.mark.slow  # 100 saves through the portal
def test_main_holder_and_delegate_saving_the_same_section_50_times_lose_nothing(link_a: Link) -> None:
    counts = _run_rounds(link_a, concurrent=False)
    assert counts["both_stored"] > 0 and counts["conflict"] > 0  # both paths exercised


@pytest.mark.django_db(transaction=True)
def test_main_holder_and_delegate_posting_at_the_same_moment_50_times_lose_nothing() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent requests need row locks (PostgreSQL)")
    link = invite(open_edition(), name="Commune concurrente")
    counts = _run_rounds(link, concurrent=True)
    assert counts["both_stored"] > 0 and counts["conflict"] > 0


# ------------------------------------------------- locks: the response row only


def _hold(lock: Any, ready: threading.Event, release: threading.Event) -> None:
    try:
        with transaction.atomic():
            lock()
            ready.set()
            release.wait(30)
    finally:
        ready.set()
        connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_autosave_does_not_wait_for_a_transaction_holding_the_edition_row() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks are a PostgreSQL matter")
    edition = open_edition()
    link = invite(edition, name="Commune sans attente")
    ready, release = threading.Event(), threading.Event()
    holder = threading.Thread(
        target=_hold, args=(lambda: Edition.objects.select_for_update().get(pk=edition.pk), ready, release)
    )
    holder.start()
    ready.wait(30)
    try:
        with connection.cursor() as c:
            c.execute("SET lock_timeout = '500ms'")  # waiting longer than 0.5 s fails the save
        r = Client().post(
            link.url("enregistrer/"),
            {**form_versions(link, "profil"), "section": "profil", "changed": "nb_agents", "nb_agents": "7"},
        )
        assert r.status_code == 200, r.content
    finally:
        with connection.cursor() as c:
            c.execute("RESET lock_timeout")
        release.set()
        holder.join()
    assert _answers(link) == {"nb_agents": 7}


@pytest.mark.django_db(transaction=True)
def test_closing_an_edition_waits_for_a_save_in_flight_and_later_saves_see_it_closed() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks are a PostgreSQL matter")
    from barometre.apps.editions.models import Response

    edition = open_edition()
    link = invite(edition, name="Commune en cours")
    ready, release = threading.Event(), threading.Event()
    holder = threading.Thread(
        target=_hold,
        args=(lambda: Response.objects.select_for_update().get(pk=link.invitation.response_id), ready, release),
    )
    holder.start()
    ready.wait(30)
    try:
        from django.db import OperationalError

        with connection.cursor() as c:
            c.execute("SET lock_timeout = '300ms'")
        with pytest.raises(OperationalError):
            lifecycle.move(edition.year, EditionState.CLOSED, actor="test")
    finally:
        with connection.cursor() as c:
            c.execute("RESET lock_timeout")
        release.set()
        holder.join()
    assert Edition.objects.get(pk=edition.pk).state == EditionState.OPEN  # the closing rolled back
    lifecycle.move(edition.year, EditionState.CLOSED, actor="test")
    r = Client().post(
        link.url("enregistrer/"),
        {**form_versions(link, "profil"), "section": "profil", "changed": "nb_agents", "nb_agents": "7"},
    )
    assert r.status_code == 409 and _answers(link) == {}
