"""The citizens' poll: its editions, respondents (people, no registry link) and estimates.

Kept apart from the authorities' barometer: own tables, own life cycle
(open → closed → published, through :mod:`barometre.apps.poll.services`).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PollState(models.TextChoices):
    OPEN = "open", _("collecte ouverte")
    CLOSED = "closed", _("collecte close")
    PUBLISHED = "published", _("publié")


class PollEdition(models.Model):
    year = models.PositiveSmallIntegerField(unique=True)
    questionnaire_version = models.CharField(max_length=40)
    state = models.CharField(max_length=12, choices=PollState.choices, default=PollState.OPEN)
    simulated = models.BooleanField(default=False)
    simulation_seed = models.IntegerField(null=True, blank=True)
    #: Fingerprint of what produced a simulated poll: re-running the demo changes nothing.
    simulation_key = models.CharField(max_length=64, blank=True, default="")
    #: Where the respondents came from (file name of an import, or "simulation").
    origin = models.CharField(max_length=200, blank=True, default="")
    weights_computed_at = models.DateTimeField(null=True, blank=True)
    weighting_report = models.JSONField(default=dict, blank=True)
    estimates_computed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["year"]
        constraints = [
            models.CheckConstraint(condition=Q(year__gte=2000) & Q(year__lte=2100), name="poll_year_range"),
            models.CheckConstraint(condition=Q(state__in=[s.value for s in PollState]), name="poll_state_valid"),
        ]

    def __str__(self) -> str:
        return f"Sondage {self.year}"


class PollRespondent(models.Model):
    """One person who answered (their answers, profile included, as cleaned by the questionnaire)."""

    edition = models.ForeignKey(PollEdition, on_delete=models.CASCADE, related_name="respondents")
    code = models.CharField(max_length=60)
    answers = models.JSONField()
    simulated = models.BooleanField(default=False)
    #: Raked weight of the latest weighting; null until weighted.
    weight = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "code"], name="poll_respondent_unique"),
            models.CheckConstraint(condition=Q(weight__isnull=True) | Q(weight__gt=0), name="poll_weight_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.edition_id}/{self.code}"


class PollEstimate(models.Model):
    edition = models.ForeignKey(PollEdition, on_delete=models.CASCADE, related_name="estimates")
    indicator = models.CharField(max_length=80)
    breakdown = models.CharField(max_length=40)
    domain_value = models.CharField(max_length=80)
    estimate = models.FloatField(null=True, blank=True)
    se = models.FloatField(null=True, blank=True)
    ci_low = models.FloatField(null=True, blank=True)
    ci_high = models.FloatField(null=True, blank=True)
    n = models.PositiveIntegerField()
    deff = models.FloatField(null=True, blank=True)
    suppressed = models.BooleanField(default=False)
    reason = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        ordering = ["indicator", "breakdown", "domain_value"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "indicator", "breakdown", "domain_value"], name="poll_estimate_unique_cell"
            ),
            models.CheckConstraint(
                condition=Q(suppressed=False) | (Q(estimate__isnull=True) & Q(ci_low__isnull=True)),
                name="poll_estimate_suppressed_has_no_value",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} [{self.breakdown}={self.domain_value}]"
