"""Building the frame from the source: what is in, what is out, the special cases."""

from __future__ import annotations

import copy

import pytest

from barometre.core.errors import RegistryError
from barometre.core.registry import AuthorityType, Frame, Kind, Stratum
from barometre.core.registry.build import build_authorities, cog_year
from barometre.core.registry.sample import sample_source


def test_only_current_communes_of_metro_and_drom_enter(sample: Frame) -> None:
    codes = {a.code for a in sample.of_kind(Kind.COMMUNE)}
    assert "01005" not in codes  # commune déléguée
    assert "69381" not in codes  # arrondissement municipal
    assert "97502" not in codes  # Saint-Pierre-et-Miquelon (COM)
    assert len(codes) == 18


def test_councils_replaced_by_special_authorities_are_absent(sample: Frame) -> None:
    codes = {a.code for a in sample}
    assert {"75D", "67D", "68D", "2AD", "2BD", "972D", "973D", "976D"} & codes == {"976D"}
    assert sample.get("976D").kind is Kind.COLLECTIVITE_UNIQUE
    assert {"REG-94", "REG-02", "REG-03", "REG-06"} & codes == set()


def test_departement_du_rhone_excludes_the_metropole_de_lyon(sample: Frame) -> None:
    assert sample.get("69D").population_municipale == 37_000
    assert sample.get("69M").population_municipale == 519_127 + 22_000


def test_epci_population_uses_the_communes_millesime_not_the_source_figure(sample: Frame) -> None:
    cc = sample.get("200000001")
    assert cc.population_municipale == 860 + 3499
    assert cc.source_population_municipale == 1
    assert cc.type == AuthorityType.CC and cc.stratum is Stratum.EPCI_CC


def test_commune_in_two_epci_is_an_error() -> None:
    src = sample_source()
    epci = copy.deepcopy(list(src.epci))
    epci[1]["membres"].append({"code": "01001"})
    with pytest.raises(RegistryError, match="deux EPCI"):
        build_authorities(type(src)(src.version, src.communes, epci, src.departements, src.regions), 2023)


def test_unknown_package_version_asks_for_its_cog_year() -> None:
    with pytest.raises(RegistryError, match="COG_BY_VERSION"):
        cog_year("9.9.9")
