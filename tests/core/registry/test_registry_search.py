from __future__ import annotations

import pytest

from barometre.core.registry import Frame, Kind, normalize, search


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Saint-Étienne", "st etienne"),
        ("ST ETIENNE", "st etienne"),
        ("Sainte-Foy-lès-Lyon", "ste foy les lyon"),
        ("L'Île-d'Yeu", "l ile d yeu"),
        ("  Œuilly ", "oeuilly"),
    ],
)
def test_names_fold_case_accents_hyphens_and_saint(text: str, folded: str) -> None:
    assert normalize(text) == folded


def test_saint_and_st_spellings_find_the_same_commune(frame: Frame) -> None:
    for text in ("saint etienne", "St-Étienne", "ST ETIENNE", "saint-etienne"):
        assert search(frame, text, kind=Kind.COMMUNE)[0].code == "42218"


def test_exact_name_ranks_before_longer_names_then_population(frame: Frame) -> None:
    found = search(frame, "saint denis", kind=Kind.COMMUNE, limit=10)
    exact = [a for a in found if a.name == "Saint-Denis"]
    assert found[: len(exact)] == exact
    assert [a.population_municipale for a in exact] == sorted((a.population_municipale for a in exact), reverse=True)


def test_search_filters_by_kind(frame: Frame) -> None:
    assert all(a.kind is Kind.EPCI for a in search(frame, "alsace", kind=Kind.EPCI))
    assert search(frame, "alsace", kind=Kind.COLLECTIVITE_UNIQUE)[0].code == "6AE"


def test_search_by_code_puts_that_authority_first(frame: Frame) -> None:
    assert search(frame, "200046977")[0].code == "69M"


def test_island_name_with_apostrophes(frame: Frame) -> None:
    assert search(frame, "ile d yeu")[0].code == "85113"
    assert search(frame, "ILE-DE-BREHAT")[0].code == "22016"


def test_empty_query_finds_nothing(frame: Frame) -> None:
    assert search(frame, " - ") == []
