"""Read-only REST API, versioned under ``/api/v1/``. Views stay thin."""

from __future__ import annotations

import functools
import hashlib
from typing import Any

from django.core.cache import caches
from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from barometre.apps.api import errors
from barometre.apps.api.serializers import AuthoritySerializer, EditionSerializer, EstimateSerializer
from barometre.apps.editions import estimates
from barometre.apps.editions.models import Edition, EditionState, IndicatorEstimate, ResponseStatus
from barometre.apps.editions.queries import published_editions, published_estimates
from barometre.apps.registry.models import Authority
from barometre.apps.registry.queries import (
    MAX_SEARCH_LENGTH,
    MIN_SEARCH_LENGTH,
    SEARCH_CACHE_SECONDS,
    get_authority,
    registry_version,
    search_queryset,
    search_text_too_short,
)
from barometre.core.registry import Kind
from barometre.core.wording.bases import base_label
from barometre.core.wording.labels import definition_pair, reason_label

#: Editions whose results are public: the rule of `editions.queries.published_editions()`, spelled out for
#: the one raw-SQL query of the data version.
PUBLIC_STATES = [EditionState.PUBLISHED]


class Pagination(PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000

    def get_page_size(self, request: Request) -> int:
        size = _int_param(request, self.page_size_query_param)
        if size is None:
            return self.page_size
        if not 1 <= size <= self.max_page_size:
            raise errors.bad_request(
                f"« page_size » doit être compris entre 1 et {self.max_page_size}", parameter="page_size"
            )
        return size

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> Any:
        page = _int_param(request, self.page_query_param)
        if page is not None and page < 1:
            raise errors.bad_request("« page » doit être un entier positif", parameter="page")
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": gettext("Numéro de page (à partir de 1)."),
                "schema": {"type": "integer", "minimum": 1, "maximum": 999_999},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": gettext("Taille de page (1 à %(max)s, %(default)s par défaut).")
                % {"max": self.max_page_size, "default": self.page_size},
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["count", "results"],
            "properties": {
                "count": {"type": "integer"},
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }


def public_editions() -> QuerySet[Edition]:
    submitted = Q(responses__status__in=[ResponseStatus.SUBMITTED, ResponseStatus.VALIDATED])
    return published_editions().annotate(respondents=Count("responses", filter=submitted))


def _int_param(request: Request, name: str) -> int | None:
    raw = request.query_params.get(name)
    if raw is None:
        return None
    try:
        value = int(raw)
    except ValueError:
        raise errors.bad_request(f"le paramètre « {name} » doit être un entier", parameter=name, value=raw) from None
    if not 0 <= value <= 999_999:
        raise errors.bad_request(f"le paramètre « {name} » est hors bornes", parameter=name, value=raw)
    return value


@extend_schema(description=_("Éditions publiées du baromètre."))
class EditionList(generics.ListAPIView[Edition]):
    """Published editions."""

    serializer_class = EditionSerializer
    pagination_class = Pagination

    def get_queryset(self) -> QuerySet[Edition]:
        return public_editions().order_by("year")


@extend_schema(description=_("Une édition publiée."))
class EditionDetail(generics.RetrieveAPIView[Edition]):
    """One published edition."""

    serializer_class = EditionSerializer
    lookup_field = "year"

    def get_object(self) -> Edition:
        year = self.kwargs["year"]
        edition = public_editions().filter(year=year).first()
        if edition is None:
            raise errors.not_found(f"l'édition {year} n'existe pas ou n'est pas publiée", edition=year)
        return edition


#: Longest value of an estimates filter.
FILTER_MAX_LENGTH = 80
FILTER_SCHEMA = {"type": "string", "maxLength": FILTER_MAX_LENGTH}

ESTIMATE_FILTERS = [
    OpenApiParameter(
        "edition",
        {"type": "integer", "minimum": 0, "maximum": 999_999},
        description=_("Année de l'édition (doit exister et être publiée)."),
    ),
    OpenApiParameter("indicator", FILTER_SCHEMA, description=_("Identifiant de l'indicateur.")),
    OpenApiParameter("breakdown", FILTER_SCHEMA, description=_("Ventilation (ensemble, strate, nature, région).")),
    OpenApiParameter("domain_value", FILTER_SCHEMA, description=_("Valeur de la ventilation.")),
]


#: Lifetime of a cached estimates page (a new computation changes the data version anyway).
ESTIMATES_CACHE_SECONDS = 300


@functools.cache
def _data_version_sql() -> str:
    """The published editions with their computation times (identifiers from the model's metadata)."""
    opts, q = Edition._meta, connection.ops.quote_name
    fields = (opts.pk, opts.get_field("indicators_computed_at"), opts.get_field("state"))
    columns = [f.column for f in fields]
    assert None not in columns  # concrete fields, each its own column
    pk, computed, state = (q(str(c)) for c in columns)
    placeholders = ", ".join(["%s"] * len(PUBLIC_STATES))
    return f"SELECT {pk}, {computed} FROM {q(opts.db_table)} WHERE {state} IN ({placeholders}) ORDER BY {pk}"  # noqa: S608


def _data_version() -> str:
    """Changes whenever published estimates may have changed (computed again, published, withdrawn).

    One plain SQL statement: it runs on every estimates request, and the ORM's query compilation
    would cost more than the query itself.
    """
    with connection.cursor() as cursor:
        cursor.execute(_data_version_sql(), [str(state) for state in PUBLIC_STATES])
        return ";".join(f"{pk}:{computed}" for pk, computed in cursor.fetchall())


@extend_schema(
    parameters=ESTIMATE_FILTERS,
    description=_(
        "Estimations pondérées avec intervalle de confiance à 95 %, filtrables.\n\n"
        "Une cellule masquée n'a ni estimation, ni erreur type, ni intervalle, ni effectif, ni population : "
        "seulement un motif (`reason` : confidentiality, complementary ou precision) et son libellé. "
        "Une estimation `imprecise` est à interpréter avec prudence. Intervalles de Korn–Graubard ; ils ne "
        "couvrent que l'erreur d'échantillonnage, sous l'hypothèse d'une réponse aléatoire au sein des classes "
        "de pondération. "
        "Une édition inexistante donne une erreur 404 (jamais une liste vide)."
    ),
)
class EstimateList(generics.ListAPIView[IndicatorEstimate]):
    """Weighted estimates, filtered; pages cached per query and data version."""

    serializer_class = EstimateSerializer
    pagination_class = Pagination

    def get_queryset(self) -> QuerySet[IndicatorEstimate]:
        params = self.request.query_params
        qs = published_estimates().select_related("edition")
        year = _int_param(self.request, "edition")
        if year is not None:
            if not published_editions().filter(year=year).exists():
                raise errors.not_found(f"l'édition {year} n'existe pas ou n'est pas publiée", edition=year)
            qs = qs.filter(edition__year=year)
        for name in ("indicator", "breakdown", "domain_value"):
            value = params.get(name)
            if value:
                if len(value) > FILTER_MAX_LENGTH:
                    raise errors.bad_request(f"le paramètre « {name} » est trop long", parameter=name)
                qs = qs.filter(**{name: value})
        indicator = params.get("indicator")
        if indicator and not qs.exists() and not published_estimates().filter(indicator=indicator).exists():
            raise errors.not_found(f"indicateur inconnu : « {indicator} »", indicator=indicator)
        return qs.order_by("edition__year", "indicator", "breakdown", "domain_value")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # Estimates change only when an edition is (re)computed or (un)published: the page is
        # cached per query string and data version (one small query), in this process's memory.
        query = hashlib.sha256(request.get_full_path().encode("utf-8", "surrogatepass")).hexdigest()
        lang = get_language() or "fr"
        key = f"api:estimates:{hashlib.sha256(_data_version().encode()).hexdigest()[:16]}:{lang}:{query}"
        body = caches["local"].get(key)
        if body is None:
            # Plain rows instead of model instances: the same shape as EstimateSerializer, much faster.
            page = self.paginate_queryset(estimates.published_values(self.get_queryset()))
            assert page is not None  # the view always paginates
            rows = [estimates.published_record(values) for values in page]
            for row in rows:
                row["reason_label"] = reason_label(row["reason"], lang) if row["suppressed"] else None
            body = self.get_paginated_response(rows).data
            caches["local"].set(key, body, timeout=ESTIMATES_CACHE_SECONDS)
        return Response(body)


@extend_schema(
    parameters=[
        OpenApiParameter(
            "q", OpenApiTypes.STR, description=_("Nom (sans tenir compte des accents, tirets, « saint »/« st »).")
        ),
        OpenApiParameter(
            "kind", OpenApiTypes.STR, enum=[k.value for k in Kind], description=_("Nature de collectivité.")
        ),
    ],
    description=_("Recherche dans le registre des collectivités (population municipale INSEE)."),
)
class AuthorityList(generics.ListAPIView[Authority]):
    """Search of the registry."""

    serializer_class = AuthoritySerializer
    pagination_class = Pagination

    def get_queryset(self) -> QuerySet[Authority]:
        params = self.request.query_params
        kind_raw = params.get("kind")
        kind = None
        if kind_raw is not None:
            try:
                kind = Kind(kind_raw)
            except ValueError:
                raise errors.bad_request(f"nature inconnue : « {kind_raw} »", parameter="kind") from None
        raw = params.get("q") or ""
        if len(raw) > MAX_SEARCH_LENGTH:
            raise errors.bad_request("le paramètre « q » est trop long", parameter="q")
        if search_text_too_short(raw):
            raise errors.bad_request(
                f"le paramètre « q » doit compter au moins {MIN_SEARCH_LENGTH} lettres ou chiffres", parameter="q"
            )
        text = raw.strip(" ")
        if text:
            # Ranked, counted and paginated in SQL (never every match loaded).
            return search_queryset(text, kind=kind).select_related("epci")
        qs = Authority.objects.filter(active=True).select_related("epci")
        if kind is not None:
            qs = qs.filter(kind=kind.value)
        return qs.order_by("code")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # The registry changes only when it is loaded again: each page is cached per query string
        # and registry version, in this process's memory (a search is counted and ranked once).
        query = hashlib.sha256(request.get_full_path().encode("utf-8", "surrogatepass")).hexdigest()
        key = f"api:authorities:{registry_version()}:{query}"
        body = caches["local"].get(key)
        if body is None:
            body = super().list(request, *args, **kwargs).data
            caches["local"].set(key, body, timeout=SEARCH_CACHE_SECONDS)
        return Response(body)


class AuthorityDetail(APIView):
    """One authority of the registry."""

    @extend_schema(
        responses=AuthoritySerializer, description=_("Une collectivité du registre, par code INSEE ou SIREN.")
    )
    def get(self, request: Request, code: str) -> Response:
        authority = get_authority(code)
        if authority is None:
            raise errors.not_found(f"code inconnu dans le registre : « {code} »", code=code)
        return Response(AuthoritySerializer(authority).data)


def _indicator_dict(ind: Any, request: Request) -> dict[str, Any]:
    from barometre.apps.editions.queries import catalogue

    cat = catalogue()
    return {
        "id": ind.id,
        "theme": ind.theme,
        "label": {"fr": ind.label.fr, "en": ind.label.en},
        "short_label": {"fr": ind.short_label.fr, "en": ind.short_label.en},
        "unit": ind.unit,
        "universe": {
            "id": ind.universe,
            "fr": cat.universes[ind.universe].label.fr,
            "en": cat.universes[ind.universe].label.en,
        },
        "editions": list(ind.editions),
        "breakdowns": list(ind.breakdowns),
        "definition": definition_pair(ind, cat),
        "period": ind.period,
        "published": [
            {
                "edition": p.edition,
                "value": p.value,
                "breakdown": p.breakdown,
                "domain_value": p.domain,
                "base": {"fr": base_label(p.base, "fr"), "en": base_label(p.base, "en")},
                "source": p.source,
            }
            for p in ind.published
        ],
    }


INDICATOR_SCHEMA = inline_serializer(
    "Indicator",
    fields={
        "id": serializers.CharField(),
        "theme": serializers.CharField(),
        "label": serializers.DictField(child=serializers.CharField()),
        "short_label": serializers.DictField(child=serializers.CharField()),
        "unit": serializers.CharField(),
        "universe": serializers.DictField(child=serializers.CharField()),
        "editions": serializers.ListField(child=serializers.IntegerField()),
        "breakdowns": serializers.ListField(child=serializers.CharField()),
        "definition": serializers.DictField(child=serializers.CharField()),
        "period": serializers.CharField(),
        "published": serializers.ListField(child=serializers.DictField()),
    },
)


class IndicatorList(APIView):
    """The indicator catalogue."""

    @extend_schema(
        description=_(
            "Catalogue des indicateurs : définition, champ, ventilations, valeurs publiées et leurs sources."
        ),
        parameters=[OpenApiParameter("theme", OpenApiTypes.STR, description=_("Thème (data, ia, cyber, …)."))],
        responses=inline_serializer(
            "IndicatorList",
            fields={"count": serializers.IntegerField(), "results": INDICATOR_SCHEMA.__class__(many=True)},
        ),
    )
    def get(self, request: Request) -> Response:
        from barometre.apps.editions.queries import catalogue

        theme = request.query_params.get("theme")
        items = [i for i in catalogue().indicators if theme is None or i.theme == theme]
        if theme is not None and not items:
            raise errors.not_found(f"thème inconnu : « {theme} »", theme=theme)
        results = [_indicator_dict(i, request) for i in items]
        return Response({"count": len(results), "results": results})


class IndicatorDetail(APIView):
    """One indicator of the catalogue."""

    @extend_schema(responses=INDICATOR_SCHEMA, description=_("Un indicateur du catalogue."))
    def get(self, request: Request, indicator_id: str) -> Response:
        from barometre.apps.editions.queries import catalogue
        from barometre.core.errors import NotFound

        try:
            ind = catalogue().get(indicator_id)
        except NotFound:
            raise errors.not_found(f"indicateur inconnu : « {indicator_id} »", indicator=indicator_id) from None
        return Response(_indicator_dict(ind, request))


SMALL_AREA_ROW = inline_serializer(
    "SmallAreaRow",
    fields={
        "area": serializers.CharField(help_text=_("Code INSEE du département ou de la région.")),
        "name": serializers.CharField(),
        "direct": serializers.FloatField(
            allow_null=True, help_text=_("Estimation directe (%), nulle si masquée par le secret statistique.")
        ),
        "direct_se": serializers.FloatField(allow_null=True, help_text=_("Erreur type de l'estimation directe.")),
        "eblup": serializers.FloatField(help_text=_("Estimation par modèle (%) : EBLUP ou synthétique.")),
        "mse": serializers.FloatField(help_text=_("Erreur quadratique moyenne estimée (points de % au carré).")),
        "cv": serializers.FloatField(
            allow_null=True, help_text=_("Coefficient de variation de l'estimation par modèle.")
        ),
        "n": serializers.IntegerField(
            allow_null=True, help_text=_("Répondants (non pondéré), nul si l'estimation directe est masquée.")
        ),
        "method": serializers.CharField(help_text=_("eblup ou synthetic.")),
        "direct_reason": serializers.CharField(),
        "shrinkage": serializers.FloatField(allow_null=True),
        "std_residual": serializers.FloatField(allow_null=True),
        "direct_vs_model": serializers.FloatField(allow_null=True),
        "variance_source": serializers.CharField(),
    },
)


class SmallAreaEstimateList(APIView):
    """Small-area estimates of one indicator by département or région."""

    @extend_schema(
        description=_(
            "Estimations par petits domaines (modèle de Fay–Herriot) d'un indicateur pour chaque département "
            "ou région : estimation directe (masquée selon le secret statistique) et estimation par modèle "
            "avec son erreur quadratique moyenne et son coefficient de variation."
        ),
        parameters=[
            OpenApiParameter(
                "edition",
                {"type": "integer", "minimum": 0, "maximum": 999_999},
                required=True,
                description=_("Année de l'édition."),
            ),
            OpenApiParameter(
                "indicator",
                {"type": "string", "minLength": 1, "maxLength": 80},
                required=True,
                description=_("Identifiant de l'indicateur."),
            ),
            OpenApiParameter(
                "level",
                OpenApiTypes.STR,
                enum=["departement", "region"],
                description=_("Niveau (departement par défaut)."),
            ),
        ],
        responses=inline_serializer(
            "SmallAreaEstimates",
            fields={
                "edition": serializers.IntegerField(),
                "indicator": serializers.CharField(),
                "level": serializers.CharField(),
                "simulated": serializers.BooleanField(),
                "label": serializers.CharField(),
                "model": serializers.DictField(),
                "results": SMALL_AREA_ROW.__class__(many=True),
            },
        ),
    )
    def get(self, request: Request) -> Response:
        from barometre.apps.editions import smallarea

        year = _int_param(request, "edition")
        if year is None:
            raise errors.bad_request("le paramètre « edition » est requis", parameter="edition")
        edition = published_editions().filter(year=year).first()
        if edition is None:
            raise errors.not_found(f"l'édition {year} n'existe pas ou n'est pas publiée", edition=year)
        indicator = request.query_params.get("indicator") or ""
        if not indicator or len(indicator) > 80:
            raise errors.bad_request("le paramètre « indicator » est requis", parameter="indicator")
        level = request.query_params.get("level") or "departement"
        if level not in ("departement", "region"):
            raise errors.bad_request("le paramètre « level » vaut departement ou region", parameter="level")
        found = smallarea.stored(edition, indicator, level)
        if found is None:
            raise errors.not_found(
                f"pas d'estimation par petits domaines pour « {indicator} » en {year}", indicator=indicator
            )
        checks, rows = found
        return Response(
            {
                "edition": year,
                "indicator": indicator,
                "level": level,
                "simulated": edition.simulated,
                "label": "données simulées" if edition.simulated else "",
                "model": checks,
                "results": rows,
            }
        )


class ApiRoot(APIView):
    """Entry point."""

    @extend_schema(
        description=_("Point d'entrée : liens vers les ressources."),
        responses=inline_serializer(
            "ApiRoot", fields={"resources": serializers.DictField(child=serializers.URLField())}
        ),
    )
    def get(self, request: Request) -> Response:
        base = request.build_absolute_uri("/api/v1/")
        names = [
            "editions",
            "indicators",
            "estimates",
            "small-area-estimates",
            "authorities",
            "poll/editions",
            "poll/estimates",
            "openapi.json",
        ]
        return Response({"resources": {n: base + n for n in names}})
