"""Small factories for database tests (no full registry load needed).

Traits are keyword arguments: ``make_authority(kind="epci", type="CA")``.
"""

from __future__ import annotations

import itertools
from typing import Any

from django.utils import timezone

from barometre.apps.editions.models import Edition, EditionState, IndicatorEstimate, Response, ResponseStatus
from barometre.apps.registry.models import Authority
from barometre.core.registry.search import normalize

_seq = itertools.count(1)


def make_authority(**overrides: Any) -> Authority:
    n = next(_seq)
    fields: dict[str, Any] = {
        "code": f"{99000 + n:05d}",
        "name": f"Commune test {n}",
        "kind": "commune",
        "type": "COM",
        "population_municipale": 420,
        "population_millesime": 2023,
        "stratum": "communes_moins_3500",
        "region": "84",
        "departement": "01",
    }
    fields.update(overrides)
    fields.setdefault("name_search", normalize(fields["name"]))
    return Authority.objects.create(**fields)


#: A large commune (Rennes, INSEE 2023 population), for rules that depend on size and région.
RENNES: dict[str, Any] = {
    "code": "35238",
    "name": "Rennes",
    "population_municipale": 230_890,
    "stratum": "communes_100000_plus",
    "region": "53",
    "departement": "35",
}


def make_rennes(**overrides: Any) -> Authority:
    return make_authority(**{**RENNES, **overrides})


def make_edition(year: int = 2025, **overrides: Any) -> Edition:
    fields: dict[str, Any] = {
        "year": year,
        "questionnaire_version": f"{year}.1",
        "questionnaire_year": min(year, 2025),
        "state": EditionState.PUBLISHED,
        "simulated": True,
        "frame_version": "test",
    }
    fields.update(overrides)
    return Edition.objects.create(**fields)


def make_response(edition: Edition, authority: Authority, *, submitted: bool = True, **overrides: Any) -> Response:
    fields: dict[str, Any] = {
        "edition": edition,
        "authority": authority,
        "status": ResponseStatus.SUBMITTED if submitted else ResponseStatus.STARTED,
        "submitted_at": timezone.now() if submitted else None,
        "simulated": edition.simulated,
    }
    fields.update(overrides)
    return Response.objects.create(**fields)


def make_estimate(edition: Edition, indicator: str = "ai_deployed", **overrides: Any) -> IndicatorEstimate:
    fields: dict[str, Any] = {
        "edition": edition,
        "indicator": indicator,
        "breakdown": "ensemble",
        "domain_value": "ensemble",
        "estimate": 49.0,
        "se": 2.5,
        "ci_low": 44.1,
        "ci_high": 53.9,
        "n": 292,
        "population": 1234.0,
    }
    fields.update(overrides)
    return IndicatorEstimate.objects.create(**fields)


def make_suppressed_estimate(
    edition: Edition, indicator: str = "ai_deployed", *, n: int = 3, **overrides: Any
) -> IndicatorEstimate:
    """A cell withheld by the disclosure rule: no number at all (not even ``n`` — the argument only
    says why it is hidden), only the reason code."""
    withheld: dict[str, Any] = {
        "estimate": None,
        "se": None,
        "ci_low": None,
        "ci_high": None,
        "n": None,
        "population": None,
    }
    return make_estimate(edition, indicator, suppressed=True, reason="confidentiality", **{**withheld, **overrides})
