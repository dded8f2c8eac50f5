"""Read helpers other apps use: look an authority up, search names, count."""

from __future__ import annotations

import hashlib
import re
from typing import Any

from django.core.cache import caches
from django.db.models import Case, Count, IntegerField, Max, Q, QuerySet, Sum, Value, When

from barometre.apps.registry.models import Authority, RegistryLoad
from barometre.core.errors import NotFound, RegistryError
from barometre.core.registry import Kind, load_snapshot
from barometre.core.registry.search import normalize


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


#: Shortest search text answered, in letters or digits (a one-letter query would match most of the
#: registry), and longest search text.
MIN_SEARCH_LENGTH = 2
MAX_SEARCH_LENGTH = 100
#: What counts as a letter or digit for that minimum (a regular-expression class, also in the API schema).
SEARCH_CHARACTERS = "0-9A-Za-z\\u00c0-\\u024f"
_SEARCH_CHARACTER = re.compile(f"[{SEARCH_CHARACTERS}]")


def search_text_too_short(text: str) -> bool:
    """A non-empty search text with fewer than :data:`MIN_SEARCH_LENGTH` letters or digits."""
    return bool(text.strip(" ")) and len(_SEARCH_CHARACTER.findall(text)) < MIN_SEARCH_LENGTH


#: How long a search result stays cached (the registry changes only when it is reloaded,
#: and the cache key carries the registry's load).
SEARCH_CACHE_SECONDS = 3600
#: Rank given to rows matching none of the rules (filtered out).
_NO_MATCH = 9


def search_queryset(text: str, *, kind: Kind | None = None) -> QuerySet[Authority]:
    """Active authorities whose name matches ``text``, best first — ranked and ordered in SQL.

    Same folding and ranking as the core search (:func:`barometre.core.registry.search.rank`):
    exact name, name starting with the text, every word of the text starting a word of the
    name, then substring; ties by larger population, then name and code; an authority whose
    code (INSEE, SIREN, alias) is the text comes first. ``name_search`` holds the folded name
    (lower case, no accents or hyphens, "saint" → "st"), so the same ``LIKE`` patterns run on
    SQLite and PostgreSQL (where a trigram index serves them, migration 0002).
    """
    query = normalize(text)
    qs = Authority.objects.filter(active=True)
    if kind is not None:
        qs = qs.filter(kind=kind.value)
    if not query:
        return qs.none()
    words = query.split()
    every_word = Q()
    starts_every_word = Q()
    for w in words:
        every_word &= Q(name_search__contains=w)
        starts_every_word &= Q(name_search__startswith=w) | Q(name_search__contains=" " + w)
    exact = get_authority(text)
    whens = [When(pk=exact.pk, then=Value(-1))] if exact is not None else []
    whens += [
        When(name_search=query, then=Value(0)),
        When(name_search__startswith=query, then=Value(1)),
        When(starts_every_word, then=Value(2)),
        When(name_search__contains=query, then=Value(3)),
    ]
    matching = every_word | Q(pk=exact.pk) if exact is not None else every_word
    return (
        qs.filter(matching)
        .annotate(search_rank=Case(*whens, default=Value(_NO_MATCH), output_field=IntegerField()))
        .filter(search_rank__lt=_NO_MATCH)
        .order_by("search_rank", "-population_municipale", "name_search", "code")
    )


def registry_version() -> str:
    """Changes whenever the registry is loaded again (part of every cache key on it)."""
    last = RegistryLoad.objects.order_by("-pk").values_list("pk", "sha256").first()
    newest = Authority.objects.aggregate(newest=Max("pk"))["newest"]
    return f"{last[0]}:{last[1][:12]}:{newest}" if last else f"none:{newest}"


def search_authorities(text: str, *, kind: Kind | None = None, limit: int = 20) -> list[Authority]:
    """The first ``limit`` results of :func:`search_queryset`, cached per registry version."""
    query = normalize(text)
    if not query:
        return []
    raw = hashlib.sha256(f"{text}\x1f{kind.value if kind else ''}\x1f{limit}".encode()).hexdigest()[:24]
    key = f"registry:search:{registry_version()}:{raw}"
    pks = caches["local"].get(key)
    if pks is None:
        pks = list(search_queryset(text, kind=kind).values_list("pk", flat=True)[:limit])
        caches["local"].set(key, pks, timeout=SEARCH_CACHE_SECONDS)
    found = Authority.objects.select_related("epci").in_bulk(pks)
    return [found[pk] for pk in pks if pk in found]


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
