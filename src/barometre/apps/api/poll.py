"""The poll of French adults in the API (``/api/v1/poll/…``), apart from the authorities' results."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from barometre.apps.api import errors
from barometre.apps.api.views import Pagination, _int_param
from barometre.apps.poll.models import PollEdition, PollEstimate, PollState
from barometre.core.poll import load_poll_catalogue


class PollEditionSerializer(serializers.ModelSerializer[PollEdition]):
    respondents = serializers.IntegerField(
        source="respondent_count", read_only=True, help_text=_("Personnes interrogées (non pondéré).")
    )
    # A declared field, not the ``Field.source`` attribute it shadows for the type checker only.
    source = serializers.SerializerMethodField(help_text=_("Source du sondage publié."))  # type: ignore[assignment]

    class Meta:
        model = PollEdition
        fields = ["year", "state", "simulated", "questionnaire_version", "respondents", "source"]

    def get_source(self, obj: PollEdition) -> dict[str, str]:
        cat = load_poll_catalogue()
        return {"fr": cat.source(obj.year, "fr"), "en": cat.source(obj.year, "en")}


class PollEstimateSerializer(serializers.ModelSerializer[PollEstimate]):
    edition = serializers.IntegerField(source="edition.year", read_only=True)
    simulated = serializers.BooleanField(source="edition.simulated", read_only=True)

    class Meta:
        model = PollEstimate
        fields = [
            "edition",
            "indicator",
            "breakdown",
            "domain_value",
            "estimate",
            "se",
            "ci_low",
            "ci_high",
            "n",
            "deff",
            "suppressed",
            "reason",
            "simulated",
        ]


def _published() -> QuerySet[PollEdition]:
    return PollEdition.objects.filter(state=PollState.PUBLISHED).annotate(respondent_count=Count("respondents"))


@extend_schema(description=_("Sondages publiés auprès des Français (18 ans ou plus), redressés sur le recensement."))
class PollEditionList(generics.ListAPIView[PollEdition]):
    """Published polls."""

    serializer_class = PollEditionSerializer
    pagination_class = Pagination

    def get_queryset(self) -> QuerySet[PollEdition]:
        return _published().order_by("year")


@extend_schema(
    parameters=[
        OpenApiParameter(
            "edition",
            {"type": "integer", "minimum": 0, "maximum": 999_999},
            description=_("Année du sondage (doit exister et être publié)."),
        ),
        OpenApiParameter("indicator", OpenApiTypes.STR, description=_("Identifiant de l'indicateur du sondage.")),
        OpenApiParameter(
            "breakdown",
            OpenApiTypes.STR,
            description=_("Ventilation (ensemble, sexe, age, region, taille_commune, profession)."),
        ),
        OpenApiParameter("domain_value", OpenApiTypes.STR, description=_("Valeur de la ventilation.")),
    ],
    description=_(
        "Estimations pondérées du sondage (en %), intervalle de confiance à 95 % et effet de plan. "
        "Une cellule masquée (trop peu de répondants) a une estimation nulle et un motif."
    ),
)
class PollEstimateList(generics.ListAPIView[PollEstimate]):
    """Weighted estimates of the published polls."""

    serializer_class = PollEstimateSerializer
    pagination_class = Pagination

    def get_queryset(self) -> QuerySet[PollEstimate]:
        params = self.request.query_params
        qs = PollEstimate.objects.select_related("edition").filter(edition__state=PollState.PUBLISHED)
        year = _int_param(self.request, "edition")
        if year is not None:
            if not PollEdition.objects.filter(state=PollState.PUBLISHED, year=year).exists():
                raise errors.not_found(f"le sondage {year} n'existe pas ou n'est pas publié", edition=year)
            qs = qs.filter(edition__year=year)
        for name in ("indicator", "breakdown", "domain_value"):
            value = params.get(name)
            if value:
                if len(value) > 80:
                    raise errors.bad_request(f"le paramètre « {name} » est trop long", parameter=name)
                qs = qs.filter(**{name: value})
        return qs.order_by("edition__year", "indicator", "breakdown", "domain_value")


class PollIndicatorList(APIView):
    """The poll's indicators."""

    @extend_schema(
        description=_("Indicateurs du sondage : question, réponses comptées, valeurs publiées."),
        responses=inline_serializer(
            "PollIndicatorList",
            fields={
                "count": serializers.IntegerField(),
                "results": serializers.ListField(child=serializers.DictField()),
            },
        ),
    )
    def get(self, request: Request) -> Response:
        cat = load_poll_catalogue()
        results: list[dict[str, Any]] = [
            {
                "id": i.id,
                "label": i.label,
                "editions": list(i.editions),
                "question": i.question,
                "codes": list(i.codes),
                "published": [{"edition": p.edition, "value": p.value} for p in i.published],
            }
            for i in cat.indicators
        ]
        return Response({"count": len(results), "results": results})
