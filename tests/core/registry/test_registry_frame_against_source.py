"""The committed frame against itself and against the figures of its source.

Source figures were counted in ``@etalab/decoupage-administratif`` 6.0.0
(data/communes.json, data/epci.json); see data/registry/README.md.
The snapshot is also rebuilt from the package and compared byte for byte: ``make test``
installs the package from the npm registry (package-lock.json, checked by its integrity hash) into
``node_modules``; ``BAROMETRE_REGISTRY_PACKAGE_DIR`` points at another unpacked copy.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import pytest

from barometre.core.registry import AuthorityType, Frame, Kind, Stratum
from barometre.core.registry.build import build_snapshot
from barometre.core.registry.snapshot import PAYLOAD_NAME

#: Communes "commune-actuelle" of the source (34 969) minus the 94 of the COM (zone "com").
SOURCE_COMMUNES = 34_875
#: Sum of the "population" of those communes.
SOURCE_POPULATION = 68_350_798
#: epci.json types.
SOURCE_EPCI_TYPES = {"CC": 989, "CA": 230, "CU": 14, "METRO": 21, "MET69": 1}
#: Communes in no EPCI in the source (single-commune islands).
ISLANDS_WITHOUT_EPCI = {"22016", "29083", "29155", "85113"}


def test_counts_per_type_equal_the_source(frame: Frame) -> None:
    types = Counter(a.type for a in frame)
    assert types[AuthorityType.COMMUNE] + types[AuthorityType.VILLE_DE_PARIS] == SOURCE_COMMUNES
    for t in AuthorityType.EPCI_TYPES:
        assert types[t] == SOURCE_EPCI_TYPES[t]
    assert types[AuthorityType.METROPOLE_LYON] == 1
    assert len(frame.of_kind(Kind.EPCI)) == sum(SOURCE_EPCI_TYPES.values()) - 1


def test_council_counts(frame: Frame) -> None:
    # 101 départements minus 75, 67, 68, 2A, 2B, 972, 973, 976 → 93 conseils départementaux.
    assert len(frame.of_kind(Kind.DEPARTEMENT)) == 93
    # 18 régions minus Corse, Martinique, Guyane, Mayotte → 14 conseils régionaux.
    assert len(frame.of_kind(Kind.REGION)) == 14
    assert {a.code for a in frame.of_kind(Kind.COLLECTIVITE_UNIQUE)} == {"6AE", "20R", "972R", "973R", "976D"}
    strata = Counter(a.stratum for a in frame)
    assert strata[Stratum.DEPARTEMENTS] == 95
    assert strata[Stratum.REGIONS] == 17


def test_commune_populations_sum_to_the_source_total(frame: Frame) -> None:
    assert sum(a.population_municipale for a in frame.of_kind(Kind.COMMUNE)) == SOURCE_POPULATION
    assert frame.info.population_millesime == 2023


def test_epci_population_is_the_sum_of_its_members(frame: Frame) -> None:
    for e in [*frame.of_kind(Kind.EPCI), *frame.of_kind(Kind.METROPOLE_LYON)]:
        assert e.population_municipale == sum(m.population_municipale for m in frame.members(e.code))


def test_regional_authorities_cover_the_whole_population_once(frame: Frame) -> None:
    regional = [a for a in frame if a.stratum is Stratum.REGIONS]
    mayotte = frame.get("976D")
    assert sum(a.population_municipale for a in regional) + mayotte.population_municipale == SOURCE_POPULATION


def test_departemental_authorities_cover_the_whole_population_once(frame: Frame) -> None:
    holders = [*[a for a in frame if a.stratum is Stratum.DEPARTEMENTS], frame.get("20R"), frame.get("972R")]
    holders += [frame.get("973R"), frame.get("69M"), frame.get("75056")]
    assert sum(a.population_municipale for a in holders) == SOURCE_POPULATION


def test_every_commune_belongs_to_exactly_one_epci_except_the_islands(frame: Frame) -> None:
    without = {a.code for a in frame.of_kind(Kind.COMMUNE) if a.epci is None}
    assert without == ISLANDS_WITHOUT_EPCI
    member_of: Counter[str] = Counter()
    for e in [*frame.of_kind(Kind.EPCI), *frame.of_kind(Kind.METROPOLE_LYON)]:
        member_of.update(m.code for m in frame.members(e.code))
    assert max(member_of.values()) == 1
    assert len(member_of) == SOURCE_COMMUNES - len(ISLANDS_WITHOUT_EPCI)


def test_lyon_communes_belong_to_the_metropole_de_lyon_not_an_epci(frame: Frame) -> None:
    lyon = frame.get("69M")
    assert lyon.kind is Kind.METROPOLE_LYON and lyon.siren == "200046977"
    assert frame.get("200046977") is lyon
    assert frame.get("69123").epci == "69M"
    assert len(frame.members("69M")) == 58
    assert frame.councils_of(frame.get("69123")) == ("REG-84", "69M")
    assert frame.councils_of(frame.get("69264")) == ("REG-84", "69D")


def test_paris_is_one_authority_without_a_departemental_council(frame: Frame) -> None:
    paris = frame.get("75056")
    assert paris.kind is Kind.COMMUNE and paris.type == AuthorityType.VILLE_DE_PARIS
    assert paris.stratum is Stratum.COMMUNES_GE_100000
    assert frame.find("75D") is None
    assert frame.get("75") is paris
    assert frame.find("75101") is None  # no municipal arrondissements


def test_alsace_corse_martinique_guyane_mayotte_are_single_authorities(frame: Frame) -> None:
    for code in ("67D", "68D", "2AD", "2BD", "972D", "973D", "REG-94", "REG-02", "REG-03", "REG-06"):
        assert code not in {a.code for a in frame}
    assert frame.get("67").code == frame.get("68").code == "6AE"
    assert frame.get("2A").code == frame.get("2B").code == frame.get("reg:94").code == "20R"
    assert frame.get("972").code == frame.get("REG-02").code == "972R"
    assert frame.get("973").code == frame.get("REG-03").code == "973R"
    assert frame.get("976").code == frame.get("REG-06").code == "976D"
    assert frame.get("6AE").stratum is Stratum.DEPARTEMENTS
    assert frame.get("976D").stratum is Stratum.DEPARTEMENTS
    assert frame.get("20R").stratum is Stratum.REGIONS
    # Guadeloupe and La Réunion keep both councils.
    assert frame.get("971D").kind is Kind.DEPARTEMENT and frame.get("REG-01").kind is Kind.REGION
    assert frame.get("974D").kind is Kind.DEPARTEMENT and frame.get("REG-04").kind is Kind.REGION


def test_overseas_collectivities_and_non_legal_units_are_outside_the_frame(frame: Frame) -> None:
    codes = {a.code for a in frame}
    for code in ("97502", "97701", "97801", "98818", "98735", "98611"):  # COM communes
        assert code not in codes
    assert not any(a.region in {"975", "977", "978", "984", "986", "987", "988", "989"} for a in frame)
    for code in ("75101", "69381", "13201"):  # municipal arrondissements
        assert code not in codes
    # A commune déléguée is not in the frame; its code leads to the commune nouvelle.
    assert "01340" not in codes
    assert frame.former("01340") is not None and frame.former("01340").code == "01015"


def test_every_unit_has_its_region_and_communes_their_departement(frame: Frame) -> None:
    regions = {
        "01",
        "02",
        "03",
        "04",
        "06",
        "11",
        "24",
        "27",
        "28",
        "32",
        "44",
        "52",
        "53",
        "75",
        "76",
        "84",
        "93",
        "94",
    }
    for a in frame:
        assert a.region in regions, a
        if a.kind in (Kind.COMMUNE, Kind.EPCI, Kind.DEPARTEMENT):
            assert a.departement, a


def test_sirens_are_unique_and_present_for_communes_and_epci(frame: Frame) -> None:
    for a in frame:
        if a.kind in (Kind.COMMUNE, Kind.EPCI, Kind.METROPOLE_LYON):
            assert a.siren and len(a.siren) == 9, a
        else:
            assert a.siren is None  # the source has no SIREN for councils


SOURCE_PACKAGE = Path(
    os.environ.get("BAROMETRE_REGISTRY_PACKAGE_DIR")
    or Path(__file__).resolve().parents[3] / "node_modules" / "@etalab" / "decoupage-administratif"
)


@pytest.mark.slow  # rebuilds the whole registry from the source files
@pytest.mark.skipif(
    not (SOURCE_PACKAGE / "data" / "communes.json").exists() and os.environ.get("CI") != "true",
    reason="@etalab/decoupage-administratif 6.0.0 not installed (make npm-deps)",
)
def test_rebuilding_from_the_source_gives_the_committed_payload(frame: Frame, tmp_path: Path) -> None:
    package = SOURCE_PACKAGE
    assert json.loads((package / "package.json").read_text(encoding="utf-8"))["version"] == "6.0.0"
    out = build_snapshot(tmp_path / "rebuilt", "6.0.0", package_dir=package)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["payload"]["sha256"] == frame.info.sha256
    assert (out / PAYLOAD_NAME).stat().st_size == manifest["payload"]["bytes"]
