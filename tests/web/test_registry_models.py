"""The registry in the database: constraints, idempotent one-transaction loading, lookups."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from django.db import IntegrityError, transaction

from barometre.apps.registry.loading import load_registry
from barometre.apps.registry.models import Authority, RegistryLoad
from barometre.apps.registry.queries import get_authority, registry_stats, search_authorities
from barometre.core.errors import RegistryError
from barometre.core.registry import Kind, load_snapshot
from barometre.core.registry.build import build_snapshot
from barometre.core.registry.sample import sample_source, write_sample_package
from barometre.core.registry.snapshot import PAYLOAD_NAME

pytestmark = pytest.mark.django_db


@pytest.fixture
def sample_dir(tmp_path: Path) -> Path:
    return build_snapshot(tmp_path / "snapshot", "6.0.0", package_dir=write_sample_package(tmp_path / "pkg"))


def test_loading_twice_changes_nothing_the_second_time(sample_dir: Path) -> None:
    first = load_registry(sample_dir)
    assert first.created == Authority.objects.count() == 47
    second = load_registry(sample_dir)
    assert (second.created, second.updated, second.deactivated) == (0, 0, 0)
    assert second.unchanged == 47
    assert "0 ajoutées, 0 modifiées, 0 supprimées" in second.message()
    assert RegistryLoad.objects.count() == 2


def test_foreign_keys_point_to_the_intercommunality_and_councils(sample_dir: Path) -> None:
    load_registry(sample_dir)
    lyon = Authority.objects.get(code="69123")
    assert lyon.epci is not None and lyon.epci.code == "69M"
    assert lyon.departement_council is not None and lyon.departement_council.code == "69M"
    assert lyon.region_council is not None and lyon.region_council.code == "REG-84"
    grand_paris = Authority.objects.get(code="200054781")
    assert grand_paris.departement_council is not None and grand_paris.departement_council.code == "75056"
    assert sorted(grand_paris.members.values_list("code", flat=True)) == ["75056", "92050"]
    assert Authority.objects.get(code="29155").epci is None


def test_update_modifies_and_deactivates_then_reactivates(tmp_path: Path, sample_dir: Path) -> None:
    load_registry(sample_dir)
    src = sample_source()
    communes = [dict(c) for c in src.communes if c["code"] != "29155"]
    next(c for c in communes if c["code"] == "29019")["population"] += 1
    changed = type(src)(src.version, communes, src.epci, src.departements, src.regions)
    other = build_snapshot(
        tmp_path / "other", "6.0.0", package_dir=write_sample_package(tmp_path / "p2", source=changed)
    )
    summary = load_registry(other)
    assert summary.deactivated == 1 and summary.created == 0
    # Brest, its métropole, Finistère and Bretagne changed population; nothing else.
    assert summary.updated == 4
    assert not Authority.objects.get(code="29155").active
    assert get_authority("29155") is None
    again = load_registry(sample_dir)
    assert again.updated == 5 and Authority.objects.get(code="29155").active


def test_invalid_snapshot_keeps_the_previous_registry(sample_dir: Path) -> None:
    load_registry(sample_dir)
    before = list(Authority.objects.order_by("code").values_list("code", "population_municipale", "active"))
    payload = sample_dir / PAYLOAD_NAME
    payload.write_bytes(payload.read_bytes()[:-100])
    with pytest.raises(RegistryError, match="tronqué"):
        load_registry(sample_dir)
    after = list(Authority.objects.order_by("code").values_list("code", "population_municipale", "active"))
    assert after == before
    assert RegistryLoad.objects.count() == 1


def test_failure_inside_the_transaction_rolls_everything_back(
    sample_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_registry(sample_dir)
    body = json.loads(gzip.decompress((sample_dir / PAYLOAD_NAME).read_bytes()))
    assert body["rows"]
    from barometre.apps.registry import loading

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    Authority.objects.filter(code="29019").update(population_municipale=1)
    monkeypatch.setattr(loading.RegistryLoad.objects, "create", boom)
    with pytest.raises(RuntimeError):
        load_registry(sample_dir)
    assert Authority.objects.get(code="29019").population_municipale == 1  # update rolled back


def test_negative_population_is_refused_by_the_database(sample_dir: Path) -> None:
    load_registry(sample_dir)
    with pytest.raises(IntegrityError), transaction.atomic():
        Authority.objects.filter(code="01001").update(population_municipale=-5)


def test_unknown_kind_is_refused_by_the_database(sample_dir: Path) -> None:
    load_registry(sample_dir)
    with pytest.raises(IntegrityError), transaction.atomic():
        Authority.objects.filter(code="01001").update(kind="canton")


def test_only_communes_have_an_epci(sample_dir: Path) -> None:
    load_registry(sample_dir)
    cc = Authority.objects.get(code="200000001")
    with pytest.raises(IntegrityError), transaction.atomic():
        Authority.objects.filter(code="01D").update(epci=cc)


def test_duplicate_siren_is_refused(sample_dir: Path) -> None:
    load_registry(sample_dir)
    with pytest.raises(IntegrityError), transaction.atomic():
        Authority.objects.filter(code="01002").update(siren="210100012")


def test_get_authority_accepts_codes_sirens_and_aliases_and_returns_none_when_unknown(sample_dir: Path) -> None:
    load_registry(sample_dir)
    assert get_authority("200046977").code == "69M"  # type: ignore[union-attr]
    assert get_authority("216901231").code == "69123"  # type: ignore[union-attr]
    assert get_authority("2a004").code == "2A004"  # type: ignore[union-attr]
    assert get_authority("99999") is None
    assert get_authority("") is None


def test_search_in_the_database_folds_saint_and_accents(sample_dir: Path) -> None:
    load_registry(sample_dir)
    assert [a.code for a in search_authorities("st etienne du bois")] == ["01002"]
    assert [a.code for a in search_authorities("SAINTE FOY", kind=Kind.COMMUNE)] == ["69202"]
    assert all(a.kind == "epci" for a in search_authorities("CA", kind=Kind.EPCI))


def test_stats_without_a_loaded_registry_say_what_to_do() -> None:
    with pytest.raises(RegistryError, match="registry load"):
        registry_stats()


@pytest.mark.slow
def test_full_snapshot_loads_completely_and_idempotently() -> None:
    frame = load_snapshot()
    summary = load_registry()
    assert summary.created == len(frame) == Authority.objects.count()
    stats = registry_stats()
    assert stats["communes"] == 34_875
    assert stats["population_municipale_total"] == 68_350_798
    assert {r["type"]: r["count"] for r in stats["by_type"]}["CC"] == 989
    assert Authority.objects.filter(kind="commune", epci__isnull=True).count() == 4
    again = load_registry()
    assert (again.created, again.updated, again.deactivated) == (0, 0, 0)
