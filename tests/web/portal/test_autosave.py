"""Autosave: one answer at a time, validated by the core, skip logic answered back."""

from __future__ import annotations

import pytest
from django.test import Client

from barometre.apps.editions.models import Answer, Edition
from tests.web.portal.conftest import COMPLETE, Link, form_versions

pytestmark = pytest.mark.django_db


def _save(client: Client, link: Link, section: str, changed: str | None, **data: object) -> dict:
    payload: dict[str, object] = {"section": section, **form_versions(link, section), **data}
    if changed:
        payload["changed"] = changed
    r = client.post(link.url("enregistrer/"), payload)
    body = r.json()
    body["_status"] = r.status_code
    return body


def _answers(link: Link) -> dict[str, object]:
    return dict(Answer.objects.filter(response=link.response).values_list("question_id", "value"))


def test_autosave_saves_one_answer_and_reports_visible_questions(client: Client, link_a: Link) -> None:
    body = _save(client, link_a, "donnees", "dpo", dpo="oui")
    assert body["_status"] == 200 and body["ok"] is True
    assert body["saved"] == ["dpo"]
    assert body["visible"]["dpo_type"] is True
    assert _answers(link_a) == {"dpo": "oui"}


def test_autosave_saves_only_the_changed_question(client: Client, link_a: Link) -> None:
    _save(client, link_a, "profil", "nb_agents", nb_agents="10", commentaire="pas encore")
    assert _answers(link_a) == {"nb_agents": 10}


def test_skip_logic_hides_and_deletes_answers_of_irrelevant_questions(client: Client, link_a: Link) -> None:
    _save(client, link_a, "donnees", "dpo", dpo="oui")
    _save(client, link_a, "donnees", "dpo_type", dpo="oui", dpo_type="interne")
    assert _answers(link_a) == {"dpo": "oui", "dpo_type": "interne"}
    body = _save(client, link_a, "donnees", "dpo", dpo="non", dpo_type="interne")
    assert body["visible"]["dpo_type"] is False
    assert "dpo_type" in body["removed"]
    assert _answers(link_a) == {"dpo": "non"}


def test_section_relevance_across_sections_drops_the_hidden_section_answers(client: Client, link_a: Link) -> None:
    _save(client, link_a, "ia", "ia_usage", ia_usage="non")
    assert _answers(link_a) == {"ia_usage": "non"}
    _save(client, link_a, "profil", "type_collectivite", type_collectivite="autre")
    assert _answers(link_a) == {"type_collectivite": "autre"}
    # The whole IA section is skipped: the section page moves on.
    r = client.get(link_a.url("section/ia/"))
    assert r.status_code == 302


def test_invalid_value_is_refused_with_the_core_message_and_the_saved_one_is_kept(client: Client, link_a: Link) -> None:
    _save(client, link_a, "profil", "nb_agents", nb_agents="10")
    body = _save(client, link_a, "profil", "nb_agents", nb_agents="dix")
    assert body["_status"] == 422 and body["ok"] is False
    assert body["errors"]["nb_agents"] == ["Un nombre est attendu."]
    assert _answers(link_a) == {"nb_agents": 10}
    body = _save(client, link_a, "profil", "agents_informatique", nb_agents="10", agents_informatique="11")
    assert body["errors"]["agents_informatique"] == ["Ne peut dépasser le nombre total d'agents."]
    assert _answers(link_a) == {"nb_agents": 10}


def test_values_the_browser_should_not_send_are_refused(client: Client, link_a: Link) -> None:
    body = _save(client, link_a, "profil", "type_collectivite", type_collectivite="prefecture")
    assert body["ok"] is False and "Choix inconnu" in body["errors"]["type_collectivite"][0]
    body = _save(client, link_a, "donnees", "usages", usages=["aucun", "pilotage"])
    assert body["ok"] is False
    body = _save(client, link_a, "cyber", "mesures", **{"mesures.mfa": "peut-etre"})
    assert body["ok"] is False
    body = _save(client, link_a, "profil", "commentaire", commentaire="x" * 500)
    assert body["ok"] is False
    assert _answers(link_a) == {}


def test_question_of_another_section_cannot_be_saved_through_a_section(client: Client, link_a: Link) -> None:
    r = client.post(link_a.url("enregistrer/"), {"section": "profil", "changed": "dpo", "dpo": "oui"})
    assert r.status_code == 400
    r = client.post(link_a.url("enregistrer/"), {"section": "inconnue", "changed": "dpo", "dpo": "oui"})
    assert r.status_code == 404
    assert _answers(link_a) == {}


def test_emptying_an_answer_deletes_it(client: Client, link_a: Link) -> None:
    _save(client, link_a, "profil", "commentaire", commentaire="Bonjour")
    assert _answers(link_a) == {"commentaire": "Bonjour"}
    body = _save(client, link_a, "profil", "commentaire", commentaire="")
    assert body["removed"] == ["commentaire"]
    assert _answers(link_a) == {}


def test_each_answer_keeps_who_changed_it_last_and_when(client: Client, link_a: Link) -> None:
    client.post(link_a.url(), {"name": "Camille Secrétaire"})
    _save(client, link_a, "profil", "nb_agents", nb_agents="10")
    colleague = Client()
    colleague.post(link_a.url(), {"name": "Dominique DGS"})
    _save(colleague, link_a, "profil", "commentaire", commentaire="ok")
    rows = {a.question_id: a for a in Answer.objects.filter(response=link_a.response)}
    assert rows["nb_agents"].updated_by == "Camille Secrétaire"
    assert rows["commentaire"].updated_by == "Dominique DGS"
    assert rows["commentaire"].updated_at >= rows["nb_agents"].updated_at
    _save(colleague, link_a, "profil", "nb_agents", nb_agents="11")
    assert Answer.objects.get(response=link_a.response, question_id="nb_agents").updated_by == "Dominique DGS"


def test_answers_change_marks_weights_stale(client: Client, link_a: Link, edition: Edition) -> None:
    from django.utils import timezone

    Edition.objects.filter(pk=edition.pk).update(weights_computed_at=timezone.now())
    _save(client, link_a, "profil", "nb_agents", nb_agents="10")
    edition.refresh_from_db()
    assert edition.weights_stale is True


def test_form_resumes_where_it_was_left(client: Client, link_a: Link) -> None:
    client.post(link_a.url("section/profil/"), {**COMPLETE["profil"], "action": "next"})
    _save(client, link_a, "cyber", "cyber_attaque", cyber_attaque="oui")
    html = Client().get(link_a.url()).content.decode()
    assert "Reprendre là où vous en étiez" in html
    assert link_a.url("section/cyber/") in html
    html = Client().get(link_a.url("section/profil/")).content.decode()
    assert 'value="12"' in html and 'value="commune" checked' in html


def test_section_submit_without_javascript_rerenders_with_errors_next_to_fields(client: Client, link_a: Link) -> None:
    r = client.post(link_a.url("section/profil/"), {"nb_agents": "5", "agents_informatique": "9", "action": "next"})
    assert r.status_code == 422
    html = r.content.decode()
    assert "Ne peut dépasser le nombre total d&#x27;agents." in html
    assert 'id="q-agents-informatique-messages"' in html
    assert 'value="9"' in html  # the refused value is shown back for correction
    assert _answers(link_a) == {"nb_agents": 5}


def test_submission_is_refused_while_required_answers_are_missing(client: Client, link_a: Link) -> None:
    client.post(link_a.url("section/profil/"), {**COMPLETE["profil"], "action": "next"})
    r = client.post(link_a.url("envoyer/"), {"confirm": "yes"})
    assert r.status_code == 422
    assert "Cette question est obligatoire." in r.content.decode()
    assert link_a.response.status == "started"
