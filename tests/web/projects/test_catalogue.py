"""The public projects catalogue: examples with sources, consent, filters without script, API, open data."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

import pytest
from django.test import Client

from barometre.apps.editions.models import Answer
from barometre.apps.projects import services
from barometre.apps.projects.models import Project
from barometre.core.projects import catalogue
from tests.factories import make_authority, make_edition, make_response

pytestmark = pytest.mark.django_db


def _declare(authority: Any, projects: list[dict[str, Any]], *, submitted: bool = True, year: int = 2026) -> Any:
    from barometre.apps.editions.models import Edition

    edition = Edition.objects.filter(year=year).first() or make_edition(year, state="open", simulated=False)
    response = make_response(edition, authority, submitted=submitted)
    Answer.objects.create(response=response, question_id=services.PROJECTS_QUESTION, value=projects)
    services.sync_response(response)
    return response


def _project(title: str, *, publish: str = "oui", **extra: str) -> dict[str, str]:
    return {"titre": title, "description": "", "domaine": "eau", "statut": "en_cours", "publication": publish, **extra}


def test_loading_the_examples_is_idempotent(examples_loaded: int) -> None:
    assert examples_loaded == len(catalogue.examples()) >= 15
    again = services.load_examples()
    assert again == {"created": 0, "updated": examples_loaded, "removed": 0}


def test_the_first_page_without_parameters_lists_every_cited_example_with_its_source(
    client: Client, examples_loaded: int
) -> None:
    html = client.get("/projets/").content.decode()
    for example in catalogue.examples():
        assert f'href="/projets/exemple-{example.key}/"' in html, example.key
        assert catalogue.sources()[example.source].url in html
    assert "facts.md" not in html and "seeds/" not in html


def test_filters_and_search_work_as_plain_get_forms(client: Client, examples_loaded: int) -> None:
    water = client.get("/projets/?domaine=eau").content.decode()
    assert "exemple-besancon-fuites" in water and "exemple-issygpt" not in water
    bretagne = client.get("/projets/?region=53").content.decode()
    assert "exemple-rennes-dechets" in bretagne and "exemple-niort-biodiversite" not in bretagne
    search = client.get("/projets/?q=fuites").content.decode()
    assert "exemple-rouen-fuites" in search and "exemple-joigny-charte" not in search
    small = client.get("/projets/?taille=moins_3500").content.decode()
    assert "exemple-saint-sulpice-energie" in small and "exemple-rennes-dechets" not in small
    assert client.get("/projets/?domaine=<script>").status_code == 200


def test_a_project_page_names_its_authority_source_and_similar_projects(client: Client, examples_loaded: int) -> None:
    html = client.get("/projets/exemple-besancon-fuites/").content.decode()
    assert "Besançon" in html and "16 novembre 2023" in html
    similar = html.split("Projets similaires ailleurs")[1]
    assert similar.index("exemple-redon-fuites") < similar.index("exemple-valbonne-depots")
    assert "mêmes mots" in similar


def test_a_declared_project_is_public_only_with_consent_and_once_the_response_is_sent(
    client: Client, examples_loaded: int
) -> None:
    town = make_authority(name="Bourg-Test", population_municipale=900)
    _declare(town, [_project("Compteurs d'eau connectés"), _project("Projet confidentiel", publish="non")])
    draft = make_authority(name="Village-Brouillon")
    _declare(draft, [_project("Projet pas encore envoyé")], submitted=False, year=2026)
    html = client.get("/projets/").content.decode()
    assert "Compteurs d&#x27;eau connectés" in html or "Compteurs d'eau connectés" in html
    assert "Projet confidentiel" not in html and "Projet pas encore envoyé" not in html
    hidden = Project.objects.get(title="Projet confidentiel")
    assert client.get(f"/projets/{hidden.key}/").status_code == 404
    assert client.get(f"/api/v1/projects/{hidden.key}").status_code == 404


def test_resyncing_a_response_replaces_its_projects(examples_loaded: int) -> None:
    town = make_authority(name="Bourg-Resync")
    response = _declare(town, [_project("Premier"), _project("Second")])
    Answer.objects.filter(response=response).update(value=[_project("Seul restant")])
    assert services.sync_response(response) == 1
    assert list(Project.objects.filter(response=response).values_list("title", flat=True)) == ["Seul restant"]


def test_the_api_lists_and_filters_projects_and_answers_its_error_shape(client: Client, examples_loaded: int) -> None:
    page = client.get("/api/v1/projects?domain=eau&page_size=2").json()
    assert page["count"] == 3 and len(page["results"]) == 2
    assert {r["domain"] for r in page["results"]} == {"eau"}
    one = client.get("/api/v1/projects/exemple-issygpt").json()
    assert one["authority_code"] == "92040" and one["source_url"].startswith("https://")
    bad = client.get("/api/v1/projects?domain=lune")
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_parameter"
    assert client.get("/api/v1/projects/inconnu").json()["error"]["code"] == "not_found"


def test_the_open_data_csv_neutralises_formulas_in_text_cells(client: Client, examples_loaded: int) -> None:
    town = make_authority(name="Bourg-Formule")
    _declare(town, [_project('=HYPERLINK("http://x")')])
    body = client.get("/projets/projets.csv").content.decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    titles = [r["title"] for r in rows]
    assert '\'=HYPERLINK("http://x")' in titles
    assert not any(t.startswith(("=", "+", "-", "@")) for t in titles)
    data = json.loads(client.get("/projets/projets.json").content)
    assert len(data["projects"]) == len(rows)


def test_the_map_counts_projects_by_region(client: Client, examples_loaded: int) -> None:
    html = client.get("/projets/carte/").content.decode()
    bretagne = re.search(r'data-region="53"><title>([^<]+)</title>', html)
    assert bretagne is not None
    # Saint-Sulpice-la-Forêt, Redon, Rennes (35) and Brest Métropole (29)
    expected = sum(1 for e in catalogue.examples() if e.authority_code in {"35315", "35236", "35238", "242900314"})
    assert f"{expected} projets" in bretagne.group(1)


def test_demo_projects_are_labelled_simulated_plausible_by_size_and_idempotent(client: Client, db: Any) -> None:
    from barometre.core.projects.model import Domain

    edition = make_edition(2025, simulated=True)
    for i in range(120):
        population = 150 if i % 2 else 250_000
        make_response(edition, make_authority(name=f"Demo {i}", population_municipale=population))
    made = services.simulate_projects(edition, seed=3)
    assert made == services.simulate_projects(edition, seed=3) == Project.objects.filter(edition=edition).count()
    projects = Project.objects.filter(edition=edition).select_related("authority")
    assert all(p.simulated and p.origin == "simulated" for p in projects)
    small = [p for p in projects if p.authority.population_municipale < 3500]
    large = [p for p in projects if p.authority.population_municipale >= 3500]
    assert len(small) < len(large)
    assert not any(p.domain in {Domain.ADMINISTRATION.value, Domain.MOBILITE.value} for p in small)
    public = [p for p in projects if p.publish]
    if public:
        html = client.get(f"/projets/{public[0].key}/").content.decode()
        assert "Données simulées" in html
    csv_rows = list(csv.DictReader(io.StringIO(client.get("/projets/projets.csv").content.decode())))
    assert all(r["simulated"] == "true" for r in csv_rows if r["origin"] == "simulated")


def test_the_command_line_ranks_the_water_leak_projects_first(examples_loaded: int) -> None:
    from typer.testing import CliRunner

    from barometre.cli.main import app

    text = "détection des fuites sur le réseau d'eau potable"
    result = CliRunner().invoke(app, ["projects", "similar", "--text", text, "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert {r["authority_name"] for r in rows[:3]} == {"Besançon", "Rouen", "Redon"}
    assert set(rows[0]) == {"key", "title", "authority_code", "authority_name", "score", "shared_terms"}
    assert rows[0]["shared_terms"] and rows[0]["score"] > rows[3]["score"]
    empty = CliRunner().invoke(app, ["projects", "similar", "--format", "json"])
    assert empty.exit_code == 2 and "Traceback" not in empty.output
