"""``/api/v1/projects``: the public projects catalogue (same rows as its open data)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from barometre.apps.api import errors
from barometre.apps.api.views import Pagination
from barometre.apps.i18n import active_lang
from barometre.apps.projects import services
from barometre.apps.projects.labels import KIND_LABELS, SIZE_LABELS
from barometre.apps.projects.rows import EXPORT_COLUMNS, project_row
from barometre.apps.registry.queries import MAX_SEARCH_LENGTH, MIN_SEARCH_LENGTH, search_text_too_short
from barometre.core.errors import NotFound
from barometre.core.projects.model import Domain, Status
from barometre.core.wording.labels import REGION_NAMES

_PROJECT_FIELDS: dict[str, serializers.Field[Any, Any, Any, Any]] = {
    c: serializers.IntegerField(allow_null=True)
    if c == "edition"
    else serializers.BooleanField(allow_null=True)
    if c in {"shared", "open_source", "simulated"}
    else serializers.CharField(allow_null=True)
    for c in EXPORT_COLUMNS
}


def _project_schema(**kwargs: Any) -> Any:
    return inline_serializer(name="Project", fields=_PROJECT_FIELDS, **kwargs)


def _choice(request: Request, name: str, allowed: set[str]) -> str:
    value = request.query_params.get(name, "")
    if value and value not in allowed:
        raise errors.bad_request(f"valeur inconnue pour « {name} » : « {value[:40]} »", parameter=name)
    return value


class ProjectList(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter(
                "q", OpenApiTypes.STR, description=_("Mots à chercher (titre, description, collectivité).")
            ),
            OpenApiParameter("domain", OpenApiTypes.STR, enum=[d.value for d in Domain], description=_("Domaine.")),
            OpenApiParameter(
                "status", OpenApiTypes.STR, enum=[s.value for s in Status], description=_("État d’avancement.")
            ),
            OpenApiParameter("kind", OpenApiTypes.STR, enum=list(KIND_LABELS), description=_("Type de collectivité.")),
            OpenApiParameter(
                "size", OpenApiTypes.STR, enum=list(SIZE_LABELS), description=_("Taille de la collectivité.")
            ),
            OpenApiParameter(
                "region", OpenApiTypes.STR, enum=sorted(REGION_NAMES), description=_("Code INSEE de la région.")
            ),
        ],
        responses=inline_serializer(
            name="ProjectPage",
            fields={
                "count": serializers.IntegerField(),
                "next": serializers.CharField(allow_null=True),
                "previous": serializers.CharField(allow_null=True),
                "results": _project_schema(many=True),
            },
        ),
        description=_(
            "Catalogue des projets data et IA : exemples cités par les notes publiées (avec leur source) "
            "et projets publiés avec l’accord des collectivités."
        ),
    )
    def get(self, request: Request) -> Response:
        q = request.query_params.get("q", "")
        if len(q) > MAX_SEARCH_LENGTH:
            raise errors.bad_request("le paramètre « q » est trop long", parameter="q")
        if search_text_too_short(q):
            raise errors.bad_request(
                f"le paramètre « q » doit compter au moins {MIN_SEARCH_LENGTH} lettres ou chiffres", parameter="q"
            )
        filters = services.Filters(
            q=q,
            domain=_choice(request, "domain", {d.value for d in Domain}),
            status=_choice(request, "status", {s.value for s in Status}),
            kind=_choice(request, "kind", set(KIND_LABELS)),
            size=_choice(request, "size", set(SIZE_LABELS)),
            region=_choice(request, "region", set(REGION_NAMES)),
        )
        paginator = Pagination()
        page = paginator.paginate_queryset(services.public_projects(filters), request, view=self)
        lang = active_lang()
        return paginator.get_paginated_response([project_row(p, lang) for p in page])


class ProjectDetail(APIView):
    @extend_schema(responses=_project_schema(), description=_("Un projet du catalogue."))
    def get(self, request: Request, key: str) -> Response:
        try:
            project = services.get_public(key)
        except NotFound:
            raise errors.not_found(f"projet inconnu : « {key[:80]} »", key=key[:80]) from None
        return Response(project_row(project, active_lang()))
