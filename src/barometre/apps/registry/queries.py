"""Read helpers other apps use: look an authority up, search names, count."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, Sum

from barometre.apps.registry.models import Authority, RegistryLoad
from barometre.core.errors import NotFound, RegistryError
from barometre.core.registry import Kind, load_snapshot
from barometre.core.registry.search import normalize, rank


def get_authority(code: str, *, active_only: bool = True) -> Authority | None:
    """The authority named by ``code`` (INSEE code, SIREN or alias such as ``75``, ``REG-84``), or None.

    Returns None for an unknown code, so views can turn it into a 404.
    """
    key = (code or "").strip().upper()
    if not key or len(key) > 20:
        return None
    qs = Authority.objects.select_related("epci", "region_council", "departement_council")
    if active_only:
        qs = qs.filter(active=True)
    found = qs.filter(code=key).first() or qs.filter(siren=key).first()
    if found is not None:
        return found
    try:
        alias = load_snapshot().find(key)
    except RegistryError:
        return None
    if alias is None or alias.code == key:
        return None
    return qs.filter(code=alias.code).first()


def require_authority(code: str) -> Authority:
    found = get_authority(code)
    if found is None:
        raise NotFound(f"code inconnu dans le registre : « {code} »")
    return found


def search_authorities(text: str, *, kind: Kind | None = None, limit: int = 20) -> list[Authority]:
    """Active authorities whose name matches ``text`` (same folding and ranking as the core search)."""
    query = normalize(text)
    if not query:
        return []
    words = query.split()
    qs = Authority.objects.filter(active=True)
    if kind is not None:
        qs = qs.filter(kind=kind.value)
    cond = Q()
    for w in words:
        cond &= Q(name_search__contains=w)
    exact = get_authority(text)
    scored: list[tuple[int, int, str, str, Authority]] = []
    for row in qs.filter(cond).select_related("epci"):
        r = rank(query, words, row.name_search)
        if r is not None:
            scored.append((r, -row.population_municipale, row.name_search, row.code, row))
    scored.sort(key=lambda t: t[:4])
    result = [t[4] for t in scored]
    if exact is not None and (kind is None or exact.kind == kind.value):
        result = [exact, *[a for a in result if a.pk != exact.pk]]
    return result[:limit]


def latest_load() -> RegistryLoad | None:
    return RegistryLoad.objects.order_by("-loaded_at", "-pk").first()


def registry_stats() -> dict[str, Any]:
    """Counts by kind, type and stratum, total population, source of the loaded registry."""
    load = latest_load()
    qs = Authority.objects.filter(active=True)
    if load is None or not qs.exists():
        raise RegistryError("registre vide : lancez « barometre registry load »")

    def grouped(field: str) -> list[dict[str, Any]]:
        rows = qs.values(field).annotate(count=Count("id"), population=Sum("population_municipale")).order_by(field)
        return [{field: r[field], "count": r["count"], "population_municipale": r["population"]} for r in rows]

    communes = qs.filter(kind=Kind.COMMUNE.value).aggregate(n=Count("id"), pop=Sum("population_municipale"))
    return {
        "source": {
            "package": load.package,
            "version": load.version,
            "cog": load.cog,
            "population": "population municipale INSEE",
            "population_millesime": load.population_millesime,
            "sha256": load.sha256,
            "loaded_at": load.loaded_at,
        },
        "total": qs.count(),
        "population_municipale_total": communes["pop"] or 0,
        "communes": communes["n"],
        "by_kind": grouped("kind"),
        "by_type": grouped("type"),
        "by_stratum": grouped("stratum"),
    }
