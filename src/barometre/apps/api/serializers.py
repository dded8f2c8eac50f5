"""Shapes of the API's resources (read-only)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from barometre.apps.editions.models import Edition, IndicatorEstimate
from barometre.apps.registry.models import Authority
from barometre.core.indicators.compute import ESTIMATE_COLUMNS
from barometre.core.wording.labels import reason_label


class EditionSerializer(serializers.ModelSerializer[Edition]):
    respondents = serializers.IntegerField(read_only=True, help_text=_("Réponses envoyées (non pondéré)."))

    class Meta:
        model = Edition
        fields = ["year", "state", "collection", "simulated", "questionnaire_year", "frame_version", "respondents"]


class EstimateSerializer(serializers.ModelSerializer[IndicatorEstimate]):
    edition = serializers.IntegerField(source="edition.year", read_only=True)
    simulated = serializers.BooleanField(source="edition.simulated", read_only=True)
    reason = serializers.SerializerMethodField(
        help_text=_("Motif d'une cellule masquée : confidentiality, complementary ou precision ; null si diffusée.")
    )
    reason_label = serializers.SerializerMethodField(help_text=_("Motif du masquage en clair."))

    class Meta:
        model = IndicatorEstimate
        fields = ["edition", *ESTIMATE_COLUMNS, "reason_label", "simulated"]

    def get_reason(self, obj: IndicatorEstimate) -> str | None:
        return obj.reason or None if obj.suppressed else None

    def get_reason_label(self, obj: IndicatorEstimate) -> str | None:
        return reason_label(obj.reason, get_language() or "fr") if obj.suppressed else None


class AuthoritySerializer(serializers.ModelSerializer[Authority]):
    epci = serializers.SerializerMethodField()

    class Meta:
        model = Authority
        fields = [
            "code",
            "siren",
            "name",
            "kind",
            "type",
            "population_municipale",
            "population_millesime",
            "stratum",
            "region",
            "departement",
            "epci",
        ]

    def get_epci(self, obj: Authority) -> dict[str, Any] | None:
        epci = obj.epci
        if epci is None:
            return None
        return {"code": epci.code, "name": epci.name}
