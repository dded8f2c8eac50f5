"""The site around the note: the note in the site's frame, the methodology page, « Comment citer »."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client, override_settings

from barometre.apps.editions.generated import MARKER
from barometre.apps.editions.models import Edition
from tests.factories import make_authority, make_edition, make_estimate, make_response

pytestmark = pytest.mark.django_db


@pytest.fixture
def published() -> Edition:
    e25 = make_edition(2025)
    make_response(e25, make_authority())
    make_estimate(e25, "ai_done_or_planned", estimate=58.4, ci_low=52.1, ci_high=64.7)
    regions = {"breakdown": "strate", "domain_value": "regions"}
    make_estimate(e25, "ai_done_or_planned", **regions, estimate=88.0, ci_low=70.0, ci_high=97.0, n=12)
    return e25


def test_methodology_page_states_each_edition_and_is_linked_from_results_and_open_data(
    client: Client, published: Edition, tmp_path: Path
) -> None:
    page = client.get("/methodologie/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<h1>Méthodologie</h1>" in html and "2025" in html
    assert "Données arrêtées au" in html and "Période de collecte" in html
    assert 'href="/methodologie/"' in client.get("/resultats/").content.decode()
    with override_settings(DATA_DIR=tmp_path):
        assert 'href="/methodologie/"' in client.get("/donnees-ouvertes/").content.decode()


def test_indicator_page_has_a_citation_with_a_permalink_that_opens_the_same_view(
    client: Client, published: Edition
) -> None:
    html = client.get("/resultats/ai_done_or_planned/?edition=2025&breakdown=strate").content.decode()
    assert "Comment citer" in html
    link = re.search(r'<a href="([^"]+)" data-permalink>', html)
    assert link is not None
    url = link.group(1).replace("&amp;", "&")
    assert "edition=2025" in url and "breakdown=strate" in url
    assert re.search(r"data-citation>[^<]*2025[^<]*", html)
    again = client.get(url.split("testserver", 1)[1]).content.decode()
    assert again.count("data-permalink") == 1 and link.group(1) in again  # the same view, the same link


def test_the_note_is_shown_in_the_site_frame_with_its_pdf(client: Client, published: Edition, tmp_path: Path) -> None:
    with override_settings(DATA_DIR=tmp_path):
        folder = tmp_path / "notes" / "2025" / "fr"
        folder.mkdir(parents=True)
        (folder / "index.html").write_text(
            '<!DOCTYPE html><html lang="fr"><head><title>Note 2025</title><style>h2 { color: #000091; }'
            '@media print { h2 { page-break-before: always; } }</style></head><body><header class="cover">'
            '<h1>Note</h1></header><main><section id="key-figures"><h2>Chiffres clés</h2></section></main>'
            "</body></html>",
            encoding="utf-8",
        )
        (folder / "note.pdf").write_bytes(b"%PDF-1.7\n")
        stamp = (published.indicators_computed_at or published.created_at).isoformat()
        (folder / MARKER).write_text(stamp, encoding="utf-8")
        html = client.get("/note/2025/").content.decode()
    assert 'class="fr-header' in html and "fr-breadcrumb" in html
    assert 'href="/note/2025/note.pdf?lang=fr"' in html and "fr-download__detail" in html
    assert 'href="/methodologie/"' in html
    assert "Chiffres clés" in html and "<main>" not in html.split('class="note-body"', 1)[1]
    assert ".note-body h2 {" in html and "page-break-before" not in html
