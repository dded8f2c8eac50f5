"""The public results explorer."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client

from tests.factories import make_authority, make_edition, make_estimate, make_response, make_suppressed_estimate

pytestmark = pytest.mark.django_db


@pytest.fixture
def published() -> None:
    e24 = make_edition(2024)
    e25 = make_edition(2025)
    make_response(e25, make_authority())
    make_estimate(e24, "ai_done_or_planned", estimate=45.0, ci_low=40.0, ci_high=50.0)
    make_estimate(e25, "ai_done_or_planned", estimate=58.4, ci_low=52.1, ci_high=64.7)
    make_estimate(
        e25,
        "ai_done_or_planned",
        breakdown="strate",
        domain_value="regions",
        estimate=88.0,
        ci_low=70.0,
        ci_high=97.0,
        n=12,
    )
    make_suppressed_estimate(e25, "ai_done_or_planned", breakdown="strate", domain_value="communes_moins_3500", n=4)
    make_edition(2026, state="open", simulated=False)


def test_explorer_lists_indicators_with_interval_and_simulated_banner(client: Client, published: None) -> None:
    html = client.get("/resultats/").content.decode()
    assert "Données simulées" in html
    assert 'data-indicator="ai_done_or_planned" data-breakdown="ensemble">58\u00a0%' in html
    assert "52\u00a0% – 65\u00a0%" in html
    assert ">2026<" not in html  # an open edition is not public
    assert "/resultats/ai_done_or_planned/?edition=2025" in html  # a year is never grouped ("2 025")


def test_indicator_page_has_breakdown_chart_with_text_alternative_and_trend(client: Client, published: None) -> None:
    html = client.get("/resultats/ai_done_or_planned/", {"breakdown": "strate", "edition": "2025"}).content.decode()
    assert 'role="img"' in html and "<title" in html and "<desc" in html
    assert 'data-domain="regions">88\u00a0%' in html
    assert "secret statistique (trop peu de répondants)" in html
    # the definition is in plain words, never the expression
    assert "${" not in html and "selected(" not in html
    assert "Korn–Graubard" in html and "aléatoire au sein des classes de pondération" in html
    # the trend shows our estimates and the values published at the time, marked as such
    assert "publié" in html and "https://lapostegroupe.com/fr/actualite/" in html  # a source a reader can follow
    assert "seeds/" not in html and "facts.md" not in html


def test_downloads_csv_and_svg(client: Client, published: None) -> None:
    csv_text = client.get("/resultats/ai_done_or_planned/donnees.csv", {"breakdown": "strate"}).content.decode()
    lines = csv_text.strip().splitlines()
    assert lines[0].startswith("edition,indicator,breakdown,domain_value")
    assert len(lines) == 3
    hidden = [r for r in csv.DictReader(io.StringIO(csv_text)) if r["suppressed"] == "true"]
    assert len(hidden) == 1 and hidden[0]["reason"] == "confidentiality"
    assert all(hidden[0][k] == "" for k in ("estimate", "se", "ci_low", "ci_high", "n", "population"))
    svg = client.get("/resultats/ai_done_or_planned/graphique.svg", {"breakdown": "strate"})
    assert svg["Content-Type"].startswith("image/svg+xml")
    assert svg.content.decode().startswith("<svg")
    png = client.get("/resultats/ai_done_or_planned/graphique.png", {"breakdown": "strate"})
    assert png["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG")


def test_unknown_indicator_breakdown_or_edition_is_a_404(client: Client, published: None) -> None:
    assert client.get("/resultats/nope/").status_code == 404
    assert client.get("/resultats/ai_done_or_planned/", {"breakdown": "planete"}).status_code == 404
    assert client.get("/resultats/", {"edition": "1900"}).status_code == 404
    assert client.get("/resultats/ai_done_or_planned/", {"edition": "2026"}).status_code == 404


def test_explorer_in_english_uses_english_labels(client: Client, published: None) -> None:
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/resultats/ai_done_or_planned/", {"breakdown": "strate"}).content.decode()
    assert "Use AI or plan to within 12 months" in html
    assert "Regions (incl. Corsica" in html


def test_region_breakdown_shows_a_map_with_every_region_and_unpublished_ones_grey(
    client: Client, published: None
) -> None:
    from barometre.apps.editions.models import Edition

    e25 = Edition.objects.get(year=2025)
    make_estimate(
        e25, "ai_done_or_planned", breakdown="region", domain_value="53", estimate=61.0, ci_low=50.0, ci_high=70.0, n=25
    )
    make_suppressed_estimate(e25, "ai_done_or_planned", breakdown="region", domain_value="04", n=3)
    html = client.get("/resultats/ai_done_or_planned/", {"breakdown": "region"}).content.decode()
    assert html.count("data-region=") == 18  # 13 mainland régions and Corse + 5 overseas insets
    assert "<title>Bretagne : 61\u00a0%</title>" in html
    assert "<title>La Réunion : non publié</title>" in html
