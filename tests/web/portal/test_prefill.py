"""Answers pre-filled from the registry (editable, source shown) and plausibility warnings that
never block a save."""

from __future__ import annotations

import re

from django.test import Client

from barometre.apps.editions.models import Answer, Edition
from tests.factories import make_authority
from tests.web.portal.conftest import Link, form_versions, invite
from tests.web.portal.forms import form_data


def _answers(link: Link) -> dict[str, object]:
    return dict(Answer.objects.filter(response=link.response).values_list("question_id", "value"))


def test_population_and_type_are_prefilled_with_their_source_and_the_registry_context(
    client: Client, edition: Edition
) -> None:
    epci = make_authority(name="CC du Test", kind="epci", type="CC", code="200000001", population_municipale=20000)
    link = invite(edition, name="Petite commune", population_municipale=393, epci=epci, region="75")
    html = client.get(link.url("section/profil/")).content.decode()
    data = form_data(html)
    assert data["population"] == ["393"] and data["type_collectivite"] == ["commune"]
    assert "Pré-remplie depuis le référentiel : population municipale INSEE 2023" in html
    registry = re.search(r'id="portal-registry".*?</div>', html, re.S)
    assert registry is not None and "CC du Test" in registry.group(0) and "Nouvelle-Aquitaine" in registry.group(0)
    assert _answers(link) == {}  # stored only when the respondent saves
    client.post(link.url("section/profil/"), {**data, "action": "save"})
    assert _answers(link)["population"] == 393


def test_a_population_ten_times_smaller_warns_without_blocking(client: Client, edition: Edition) -> None:
    link = invite(edition, population_municipale=393)
    url = link.url("enregistrer/")
    r = client.post(
        url, {**form_versions(link, "profil"), "section": "profil", "changed": "population", "population": "39"}
    )
    assert r.status_code == 200 and r.json()["ok"] is True
    (warning,) = r.json()["warnings"]["population"]
    assert "393" in warning and "habitants" in warning
    assert _answers(link)["population"] == 39
    html = client.get(link.url("section/profil/")).content.decode()
    block = re.search(r'id="q-population-warnings".*?</div>', html, re.S)
    assert block is not None and "le référentiel indique 393 habitants" in block.group(0)
    ok = client.post(
        url, {**form_versions(link, "profil"), "section": "profil", "changed": "population", "population": "400"}
    )
    assert ok.json()["warnings"] == {}


def test_all_agents_counted_in_it_warns_next_to_the_field(client: Client, link_a: Link) -> None:
    data = {**form_versions(link_a, "profil"), "nb_agents": "3", "agents_informatique": "3", "action": "save"}
    html = client.post(link_a.url("section/profil/"), data).content.decode()
    block = re.search(r'id="q-agents-informatique-warnings".*?</div>', html, re.S)
    assert block is not None and "tous vos agents (3)" in block.group(0)
    assert _answers(link_a)["agents_informatique"] == 3
