"""The mutualisation view over a real registry and a simulated edition: counts, suppression, CLI = web."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest
from django.test import Client
from typer.testing import CliRunner

from barometre.apps.editions.models import Response
from barometre.apps.projects import mutualisation
from barometre.apps.registry.models import Authority
from barometre.cli.main import app

pytestmark = [pytest.mark.django_db, pytest.mark.slow, pytest.mark.xdist_group("simulated_2025")]
MIN = 10


def _responding_members(epci: Authority) -> int:
    codes = set(Authority.objects.filter(epci=epci).values_list("code", flat=True)) | {epci.code}
    return Response.objects.filter(
        edition__year=2025, authority__code__in=codes, status__in=["submitted", "validated"]
    ).count()


def _every_aggregate(data: dict[str, Any]) -> list[dict[str, Any]]:
    return data["indicators"] + data["shared_resources"] + data["gaps"]


def test_no_aggregate_is_built_on_fewer_members_than_the_minimum(simulated_2025: int) -> None:
    responding = Counter(
        Response.objects.filter(edition__year=2025, authority__epci__isnull=False).values_list(
            "authority__epci__code", flat=True
        )
    )
    one = next(
        code
        for code, n in sorted(responding.items())
        if n == 1 and _responding_members(Authority.objects.get(code=code)) == 1
    )
    data = mutualisation.show(one, 2025)
    assert data["members"]["responding"] == 1
    assert all(
        a["suppressed"] and a["n"] is None and a["k"] is None and a["share"] is None for a in _every_aggregate(data)
    )
    assert {a["reason"] for a in _every_aggregate(data)} == {"confidentiality"}


def test_published_aggregates_rest_on_at_least_the_minimum_and_agree_with_the_member_count(simulated_2025: int) -> None:
    data = mutualisation.show("megalis-bretagne", 2025)
    published = [a for a in _every_aggregate(data) if not a["suppressed"]]
    assert published, "Mégalis Bretagne has enough responding members in the demo edition"
    for a in published:
        assert MIN <= a["n"] <= data["members"]["responding"]
        assert 0 <= a["k"] <= a["n"] and a["share"] == pytest.approx(100 * a["k"] / a["n"])


def test_rennes_metropole_by_the_command_line_and_the_web_page_agree(simulated_2025: int, client: Client) -> None:
    result = CliRunner().invoke(app, ["mutualisation", "show", "243500139", "--edition", "2025", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["authority"] == "243500139" and data["edition"] == 2025
    assert data["members"]["count"] == Authority.objects.filter(epci__code="243500139").count() + 1
    assert data["members"]["responding"] == _responding_members(Authority.objects.get(code="243500139"))
    html = client.get("/projets/mutualisation/243500139/?edition=2025").content.decode()
    for a in _every_aggregate(data):
        row = html.split(f'data-key="{a["key"]}"')[1].split("</tr>")[0]
        if a["suppressed"]:
            assert f'data-suppressed="{a["reason"]}"' in row
        else:
            assert f"{a['k']} sur {a['n']}" in row


def test_a_commune_is_not_a_pooling_body(simulated_2025: int, client: Client) -> None:
    result = CliRunner().invoke(app, ["mutualisation", "show", "35238", "--edition", "2025"])
    assert result.exit_code == 2 and "mutualisation" in result.output
    assert client.get("/projets/mutualisation/35238/?edition=2025").status_code == 404


def test_a_communes_page_names_its_departements_operator(simulated_2025: int, client: Client) -> None:
    html = client.get("/collectivites/35236/").content.decode()
    assert "Votre opérateur public de services numériques" in html and "Mégalis Bretagne" in html
    corse = client.get("/collectivites/2A004/").content.decode()
    assert "Aucun opérateur connu dans notre annuaire" in corse and "https://www.asso-declic.fr" in corse
