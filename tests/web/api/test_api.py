"""The public REST API: one error shape, pagination, ETag, caching, CORS."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import make_authority, make_edition, make_estimate, make_response, make_suppressed_estimate

pytestmark = pytest.mark.django_db


@pytest.fixture
def published() -> None:
    edition = make_edition(2025)
    make_edition(2026, state="open")
    a = make_authority(name="Saint-Étienne-du-Bois", population_municipale=2600)
    make_response(edition, a)
    make_estimate(edition, "ai_deployed")
    make_suppressed_estimate(edition, "ai_deployed", breakdown="strate", domain_value="communes_moins_3500", n=3)
    make_estimate(edition, "cyber_attack_suffered", estimate=17.0)


def test_unknown_edition_is_a_404_in_the_error_shape(client: Client, published: None) -> None:
    response = client.get("/api/v1/estimates?edition=1900")
    assert response.status_code == 404
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == "not_found"
    assert "1900" in body["error"]["message"]
    assert body["error"]["details"] == {"edition": 1900}


def test_an_open_edition_is_not_public(client: Client, published: None) -> None:
    assert client.get("/api/v1/estimates?edition=2026").status_code == 404
    assert client.get("/api/v1/editions/2026").status_code == 404
    years = [e["year"] for e in client.get("/api/v1/editions").json()["results"]]
    assert years == [2025]


def test_invalid_parameter_is_a_400_in_the_error_shape(client: Client, published: None) -> None:
    body = client.get("/api/v1/estimates?edition=deux-mille").json()
    assert body["error"]["code"] == "invalid_parameter"
    assert client.get("/api/v1/authorities?kind=planete").json()["error"]["code"] == "invalid_parameter"


def test_unknown_url_under_api_is_json(client: Client) -> None:
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_estimates_filter_and_paginate(client: Client, published: None) -> None:
    body = client.get("/api/v1/estimates?edition=2025&indicator=ai_deployed").json()
    assert body["count"] == 2
    assert {r["breakdown"] for r in body["results"]} == {"ensemble", "strate"}
    suppressed = next(r for r in body["results"] if r["suppressed"])
    hidden_numbers = ("estimate", "se", "ci_low", "ci_high", "n", "population", "respondent_share")
    assert all(suppressed[k] is None for k in hidden_numbers)
    assert suppressed["reason"] == "confidentiality" and suppressed["reason_label"]
    shown = next(r for r in body["results"] if not r["suppressed"])
    assert shown["reason"] is None and shown["n"] == 292
    page = client.get("/api/v1/estimates?page_size=1").json()
    assert page["count"] == 3 and len(page["results"]) == 1 and page["next"]
    assert all(r["simulated"] for r in page["results"])


def test_unknown_indicator_is_a_404(client: Client, published: None) -> None:
    assert client.get("/api/v1/estimates?indicator=nope").json()["error"]["code"] == "not_found"


def test_etag_and_cache_headers(client: Client, published: None) -> None:
    first = client.get("/api/v1/estimates?edition=2025")
    assert first["ETag"]
    assert "max-age=" in first["Cache-Control"] and "public" in first["Cache-Control"]
    again = client.get("/api/v1/estimates?edition=2025", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_cors_allows_get_from_anywhere(client: Client, published: None) -> None:
    response = client.get("/api/v1/editions", HTTP_ORIGIN="https://journal.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        "/api/v1/editions", HTTP_ORIGIN="https://journal.example", HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST"
    )
    assert "POST" not in preflight.get("Access-Control-Allow-Methods", "")


def test_api_is_read_only(client: Client, published: None) -> None:
    response = client.post("/api/v1/editions", data={}, content_type="application/json")
    assert response.status_code in (403, 405)
    assert "error" in response.json()


def test_authority_lookup_by_code_and_search(client: Client, published: None) -> None:
    found = client.get("/api/v1/authorities?q=st etienne du bois").json()
    assert [a["name"] for a in found["results"]] == ["Saint-Étienne-du-Bois"]
    code = found["results"][0]["code"]
    assert client.get(f"/api/v1/authorities/{code}").json()["population_municipale"] == 2600
    missing = client.get("/api/v1/authorities/00000")
    assert missing.status_code == 404 and "00000" in missing.json()["error"]["message"]


def test_injection_attempts_are_harmless(client: Client, published: None) -> None:
    for payload in ["' OR 1=1 --", "ai_deployed'; DROP TABLE editions_edition; --", "%27%20OR%20%271%27=%271"]:
        response = client.get("/api/v1/estimates", {"indicator": payload})
        assert response.status_code == 404
    assert client.get("/api/v1/estimates?edition=2025").json()["count"] == 3


def test_openapi_schema_and_docs_page(client: Client) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    assert "/api/v1/estimates" in spec["paths"]
    html = client.get("/api/v1/docs/").content.decode()
    assert "GET /api/v1/estimates" in html and "edition" in html


def _descriptions(spec: dict[str, object]) -> str:
    import json

    return json.dumps(spec, ensure_ascii=False)


def test_api_documentation_is_french_by_default_and_english_on_request(client: Client) -> None:
    from django.conf import settings

    fr = client.get("/api/v1/openapi.json").json()
    en = client.get("/api/v1/openapi.json?lang=en").json()
    assert fr["info"]["title"].startswith("API du Baromètre") and en["info"]["title"].startswith("Baromètre API")
    estimates_fr, estimates_en = (s["paths"]["/api/v1/estimates"]["get"] for s in (fr, en))
    assert estimates_fr["description"].startswith("Estimations pondérées")
    assert estimates_en["description"].startswith("Weighted estimates")
    assert estimates_en["responses"]["404"]["description"].startswith("Resource not found")
    page_size = next(p for p in estimates_en["parameters"] if p["name"] == "page_size")
    assert page_size["description"] == "Page size (1 to 1000, 100 by default)."
    # every description of the English schema was translated: none of the French ones is left
    french = [
        d for d in ("Éditions publiées", "Paramètre invalide", "Une collectivité du registre") if d in _descriptions(en)
    ]
    assert french == [] and all(d in _descriptions(fr) for d in ("Éditions publiées", "Paramètre invalide"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/api/v1/docs/").content.decode()
    assert "Weighted estimates with their 95" in html and "Estimations pondérées" not in html


def test_indicator_catalogue_with_published_values_and_sources(client: Client) -> None:
    body = client.get("/api/v1/indicators").json()
    assert body["count"] >= 40
    ai = client.get("/api/v1/indicators/ai_deployed").json()
    assert ai["label"]["en"] and ai["universe"]["id"] == "plus_3500"
    assert any(p["edition"] == 2025 and p["value"] == 49 and p["source"] for p in ai["published"])
    assert client.get("/api/v1/indicators?theme=cyber").json()["count"] >= 5
    assert client.get("/api/v1/indicators?theme=astrologie").status_code == 404
    assert client.get("/api/v1/indicators/nope").json()["error"]["code"] == "not_found"


def test_cached_estimates_change_when_the_edition_is_computed_again(client: Client, published: None) -> None:
    from django.utils import timezone

    from barometre.apps.editions.models import Edition, IndicatorEstimate

    url = "/api/v1/estimates?edition=2025&indicator=cyber_attack_suffered"
    assert client.get(url).json()["results"][0]["estimate"] == 17.0
    IndicatorEstimate.objects.filter(indicator="cyber_attack_suffered").update(estimate=21.0)
    Edition.objects.filter(year=2025).update(indicators_computed_at=timezone.now())
    assert client.get(url).json()["results"][0]["estimate"] == 21.0


def test_cached_estimates_change_when_one_edition_is_withdrawn_and_another_published(client: Client) -> None:
    """Same number of published editions and same latest computation: the cache must still see it."""
    from datetime import timedelta

    from django.utils import timezone

    from barometre.apps.editions.models import Edition

    now = timezone.now()
    for year, state, computed in (
        (2023, "closed", now - timedelta(days=2)),
        (2024, "published", now - timedelta(days=1)),
    ):
        make_estimate(make_edition(year, state=state, indicators_computed_at=computed), "ai_deployed")
    make_estimate(make_edition(2025, indicators_computed_at=now), "ai_deployed")
    url = "/api/v1/estimates?indicator=ai_deployed"
    assert [r["edition"] for r in client.get(url).json()["results"]] == [2024, 2025]
    Edition.objects.filter(year=2024).update(state="closed")
    Edition.objects.filter(year=2023).update(state="published")
    assert [r["edition"] for r in client.get(url).json()["results"]] == [2023, 2025]
