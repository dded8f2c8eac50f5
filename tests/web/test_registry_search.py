"""Name search of the registry runs in the database: ranked, counted and limited in SQL,
with the core search's order; results cached; a one-letter query refused politely."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from barometre.apps.registry.models import Authority, RegistryLoad
from barometre.apps.registry.queries import search_authorities, search_queryset
from barometre.core.registry import Kind, load_snapshot
from barometre.core.registry.search import search as core_search

QUERIES = ["sai", "saint malo", "Saint-Étienne", "rennes", "st denis", "l'ile", "ma", "bois", "35238", "200046977"]


@pytest.fixture(scope="module")
def registry(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    from barometre.apps.registry.loading import load_registry

    with django_db_blocker.unblock():
        load_registry()
    yield
    with django_db_blocker.unblock():
        Authority.objects.update(epci=None, region_council=None, departement_council=None)
        Authority.objects.all().delete()
        RegistryLoad.objects.all().delete()


@pytest.mark.slow  # loads the whole registry (36 000 authorities)
@pytest.mark.parametrize("text", QUERIES)
def test_sql_search_ranks_like_the_core_search(registry: None, db: None, text: str) -> None:
    frame = load_snapshot()
    expected = [a.code for a in core_search(frame, text, limit=40)]
    assert expected, text
    assert [a.code for a in search_authorities(text, limit=40)] == expected
    kind_expected = [a.code for a in core_search(frame, text, kind=Kind.COMMUNE, limit=10)]
    assert [a.code for a in search_authorities(text, kind=Kind.COMMUNE, limit=10)] == kind_expected


@pytest.mark.slow  # loads the whole registry (36 000 authorities)
def test_the_api_counts_every_match_and_pages_in_sql(registry: None, db: None, client: Client) -> None:
    every = core_search(load_snapshot(), "sai", limit=None)
    assert len(every) > 100
    with CaptureQueriesContext(connection) as queries:
        body = client.get("/api/v1/authorities", {"q": "sai", "page_size": 1}).json()
    assert body["count"] == len(every)
    assert [r["code"] for r in body["results"]] == [every[0].code]
    # the matches are counted and limited by the database, never loaded: no query returns them all
    selects = [q["sql"] for q in queries.captured_queries if "name_search" in q["sql"]]
    assert selects and all("COUNT(" in sql.upper() or "LIMIT" in sql.upper() for sql in selects)
    page_2 = client.get("/api/v1/authorities", {"q": "sai", "page_size": 1, "page": 2}).json()
    assert [r["code"] for r in page_2["results"]] == [every[1].code]


@pytest.mark.slow  # loads the whole registry (36 000 authorities)
def test_search_results_are_cached_until_the_registry_changes(registry: None, db: None) -> None:
    first = search_authorities("rennes", limit=5)
    with CaptureQueriesContext(connection) as queries:
        again = search_authorities("rennes", limit=5)
    assert again == first
    assert not any("LIKE" in q["sql"].upper() for q in queries.captured_queries)


@pytest.mark.slow  # loads the whole registry (36 000 authorities)
def test_a_one_letter_query_is_refused_politely_and_three_letters_are_answered(registry: None, db: None) -> None:
    client = Client()
    r = client.get("/api/v1/authorities", {"q": "e"})
    assert r.status_code == 400 and r.json()["error"]["details"] == {"parameter": "q"}
    assert "au moins" in r.json()["error"]["message"]
    assert client.get("/api/v1/authorities", {"q": "ren"}).json()["count"] > 0
    page = client.get("/collectivites/", {"q": "e"}).content.decode()
    assert "Tapez au moins" in page
    page = client.get("/collectivites/", {"q": "ren"}).content.decode()
    assert "Rennes" in page


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_postgresql_has_a_trigram_index_on_the_folded_name(db: None) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'registry_authority_name_search_trgm'")
        row = cursor.fetchone()
    assert row is not None and "gin_trgm_ops" in row[0]


def test_search_queryset_of_nothing_is_empty(db: None) -> None:
    assert not search_queryset("  --  ").exists()


@pytest.mark.slow  # loads the whole registry (36 000 authorities)
def test_the_api_search_is_cached_until_the_registry_changes(registry: None, db: None, client: Client) -> None:
    first = client.get("/api/v1/authorities", {"q": "malo", "page_size": 3}).json()
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/api/v1/authorities", {"q": "malo", "page_size": 3}).json()
    assert again == first
    assert not any("LIKE" in q["sql"].upper() for q in queries.captured_queries)
    from tests.factories import make_authority

    make_authority(code="99999", name="Malo-Neuf", population_municipale=10**7)
    fresh = client.get("/api/v1/authorities", {"q": "malo", "page_size": 3}).json()
    assert fresh["count"] == first["count"] + 1 and fresh["results"][0]["code"] == "99999"
