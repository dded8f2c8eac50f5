"""The mutualisation view of an EPCI, a département or an OPSN over its member authorities.

Members: an EPCI's member communes and the EPCI itself; a département's authorities (communes, EPCI
seated there, the départemental council); an OPSN's authorities in the départements it serves. The
aggregates and their suppression come from ``core.projects.mutualisation``; views nest as
OPSN → département → EPCI, and each view is audited against its parent and siblings there.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db.models import Max, Q

from barometre.apps.editions.models import Edition, Response
from barometre.apps.editions.pipeline import DISCLOSURE_RULE, edition_arrays
from barometre.apps.editions.queries import catalogue
from barometre.apps.editions.sources import questionnaire_for
from barometre.apps.projects import services
from barometre.apps.registry.models import Authority
from barometre.core.errors import NotFound, ProjectError
from barometre.core.indicators.compute import indicator_matrix
from barometre.core.projects import catalogue as projects_catalogue
from barometre.core.projects.mutualisation import Aggregate, aggregate
from barometre.core.registry import Kind

#: The main indicators shown for members (those of the edition's catalogue are kept, in this order).
MAIN_INDICATORS = (
    "data_project_2y",
    "ai_done_or_tested",
    "rgpd_compliant_or_in_progress",
    "dpo_appointed",
    "rssi",
    "cyber_attack_suffered",
    "crisis_management",
    "reen_strategy",
)
#: Gaps a shared service would close: (code, indicator whose complement is the gap).
GAPS = (("no_dpo", "dpo_appointed"), ("no_rssi", "rssi"))
EPCI_KINDS = (Kind.EPCI.value, Kind.METROPOLE_LYON.value)


@dataclass(frozen=True)
class View:
    """A pooling body and its members (authority codes)."""

    key: str
    kind: str  # epci | departement | opsn
    name: str
    members: frozenset[str]


def _codes(qs: Any) -> frozenset[str]:
    return frozenset(qs.values_list("code", flat=True))


def _departement_view(dep: str) -> View:
    council = Authority.objects.filter(kind=Kind.DEPARTEMENT.value, departement=dep).first()
    name = council.name if council is not None else f"Département {dep}"
    return View(f"dep-{dep}", "departement", name, _codes(Authority.objects.filter(departement=dep, active=True)))


def _epci_view(epci: Authority) -> View:
    members = _codes(Authority.objects.filter(Q(epci=epci) | Q(pk=epci.pk), active=True))
    return View(epci.code, "epci", epci.name, members)


def _opsn_view(key: str) -> View:
    op = next((o for o in projects_catalogue.operators() if o.key == key), None)
    if op is None:
        raise NotFound(f"opérateur inconnu : {key}")
    return View(op.key, "opsn", op.name, _codes(Authority.objects.filter(departement__in=op.departements, active=True)))


def resolve(code: str) -> View:
    """The view named by an authority code (EPCI, départemental council) or an OPSN key."""
    if any(o.key == code for o in projects_catalogue.operators()):
        return _opsn_view(code)
    authority = Authority.objects.filter(code=code).first()
    if authority is None:
        raise NotFound(f"code inconnu : {code}")
    if authority.kind in EPCI_KINDS:
        return _epci_view(authority)
    if authority.kind == Kind.DEPARTEMENT.value and authority.departement:
        return _departement_view(authority.departement)
    raise ProjectError(
        f"{authority.name} n'est pas une structure de mutualisation : indiquez une intercommunalité, "
        "un département ou un opérateur public de services numériques"
    )


def _family(view: View, authority_code: str | None) -> tuple[View | None, list[View]]:
    """The parent view and the sibling views of ``view`` in the tree OPSN → département → EPCI."""
    if view.kind == "epci" and authority_code is not None:
        epci = Authority.objects.get(code=authority_code)
        if not epci.departement:
            return None, []
        parent = _departement_view(epci.departement)
        siblings = [
            _epci_view(e)
            for e in Authority.objects.filter(kind__in=EPCI_KINDS, departement=epci.departement, active=True).exclude(
                pk=epci.pk
            )
        ]
        return parent, siblings
    if view.kind == "departement":
        dep = view.key.removeprefix("dep-")
        ops = projects_catalogue.operators_for_departement(dep)
        if not ops:
            return None, []
        parent = _opsn_view(ops[0].key)
        return parent, [_departement_view(d) for d in ops[0].departements if d != dep]
    return None, []


@lru_cache(maxsize=4)
def _matrix(year: int, version: str) -> tuple[dict[str, int], npt.NDArray[np.float64], tuple[str, ...]]:
    edition = Edition.objects.get(year=year)
    arrays = edition_arrays(edition)
    rows = arrays.respondent_rows()
    matrix = indicator_matrix(arrays, rows, catalogue(), questionnaire_for(edition))
    codes = [str(arrays.units.codes[int(r)]) for r in rows]
    return {c: i for i, c in enumerate(codes)}, matrix.values, tuple(ind.id for ind in matrix.indicators)


def _edition_matrix(edition: Edition) -> tuple[dict[str, int], npt.NDArray[np.float64], tuple[str, ...]]:
    stamp = Response.objects.filter(edition=edition).aggregate(m=Max("updated_at"))["m"]
    return _matrix(edition.year, f"{stamp}")


def show(code: str, year: int) -> dict[str, Any]:
    """Members, responding members, indicator aggregates, shared resources, gaps and projects of a view."""
    edition = Edition.objects.filter(year=year).first()
    if edition is None:
        raise NotFound(f"édition inconnue : {year}")
    view = resolve(code)
    index, values, indicator_ids = _edition_matrix(edition)
    parent, siblings = _family(view, code if view.kind == "epci" else None)
    minimum = DISCLOSURE_RULE.min_respondents

    def rows_of(members: frozenset[str]) -> npt.NDArray[np.int64]:
        return np.asarray(sorted(index[c] for c in members if c in index), dtype=np.int64)

    own = rows_of(view.members)
    parent_rows = rows_of(parent.members) if parent else None
    sibling_rows = {s.key: rows_of(s.members & parent.members if parent else s.members) for s in siblings}

    def agg(ind: str, complement: bool = False, key: str | None = None) -> Aggregate:
        j = indicator_ids.index(ind)
        col = values[:, j]
        if complement:
            col = np.where(np.isnan(col), np.nan, 1.0 - col)

        def take(rows: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
            return col[rows] if rows.size else np.empty(0)

        return aggregate(
            key or ind,
            take(own),
            minimum=minimum,
            view=view.key,
            parent=take(parent_rows) if parent_rows is not None else None,
            siblings={k: take(r) for k, r in sibling_rows.items()},
        )

    theme = {i.id: i.theme for i in catalogue().indicators}
    indicators = [agg(i).to_dict() for i in MAIN_INDICATORS if i in indicator_ids]
    shared = [agg(i).to_dict() for i in indicator_ids if theme.get(i) == "mutualisation"]
    gaps = [agg(ind, complement=True, key=gap).to_dict() for gap, ind in GAPS if ind in indicator_ids]
    projects = [
        {"key": p.key, "title": p.title, "authority_code": p.authority.code, "authority_name": p.authority.name}
        for p in services.public_projects().filter(authority__code__in=view.members)
    ]
    return {
        "authority": view.key,
        "name": view.name,
        "kind": view.kind,
        "edition": year,
        "simulated": edition.simulated,
        "minimum": minimum,
        "members": {"count": len(view.members), "responding": int(own.size)},
        "indicators": indicators,
        "shared_resources": shared,
        "gaps": gaps,
        "projects": projects,
    }
