"""Editions of the barometer: sample, responses, answers, weights, estimates.

Invariants are database constraints; state changes go through
:mod:`barometre.apps.editions.lifecycle`, never by assigning ``state``.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class EditionState(models.TextChoices):
    DRAFT = "draft", _("brouillon")
    OPEN = "open", _("collecte ouverte")
    CLOSED = "closed", _("collecte close")
    PUBLISHED = "published", _("publiée")


class CollectionKind(models.TextChoices):
    #: A probability sample drawn from the frame (inclusion probabilities stored).
    SAMPLE = "sample", _("échantillon probabiliste")
    #: The whole frame invited; weights come from a nonresponse model.
    VOLUNTARY = "voluntary", _("enquête volontaire (toute la base invitée)")


class Edition(models.Model):
    year = models.PositiveSmallIntegerField(unique=True)
    questionnaire_version = models.CharField(max_length=40)
    #: Year of the questionnaire file used (``questionnaires/<year>.yaml``).
    questionnaire_year = models.PositiveSmallIntegerField()
    state = models.CharField(max_length=12, choices=EditionState.choices, default=EditionState.DRAFT)
    collection = models.CharField(max_length=12, choices=CollectionKind.choices, default=CollectionKind.VOLUNTARY)
    simulated = models.BooleanField(default=False)
    simulation_seed = models.IntegerField(null=True, blank=True)
    #: Fingerprint of what produced a simulated edition (seed, size, questionnaire,
    #: catalogue, simulator): re-running the demo with the same inputs changes nothing.
    simulation_key = models.CharField(max_length=64, blank=True, default="")
    frame_version = models.CharField(max_length=80, help_text="Registry snapshot used (package version, millésime).")
    opens_on = models.DateField(null=True, blank=True)
    closes_on = models.DateField(null=True, blank=True)
    #: Shown to respondents and in the e-mails (set in the console or by `barometre edition create`).
    organiser = models.CharField(max_length=200, blank=True, default="")
    help_email = models.EmailField(blank=True, default="")
    help_phone = models.CharField(max_length=40, blank=True, default="")
    weights_computed_at = models.DateTimeField(null=True, blank=True)
    weights_stale = models.BooleanField(default=False)
    weighting_report = models.JSONField(default=dict, blank=True)
    #: simulated editions: each indicator's share (percent) over the whole simulated frame, from
    #: which the next simulated edition's indicators without a published figure drift boundedly
    simulation_shares = models.JSONField(default=dict, blank=True)
    indicators_computed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["year"]
        constraints = [
            models.CheckConstraint(condition=Q(year__gte=2000) & Q(year__lte=2100), name="edition_year_range"),
            models.CheckConstraint(condition=Q(state__in=[s.value for s in EditionState]), name="edition_state_valid"),
            models.CheckConstraint(
                condition=Q(opens_on__isnull=True) | Q(closes_on__isnull=True) | Q(opens_on__lte=models.F("closes_on")),
                name="edition_opens_before_closing",
            ),
        ]

    def __str__(self) -> str:
        return f"Édition {self.year}"


class SampleUnit(models.Model):
    """An authority of the edition's sample (the whole frame for a voluntary survey)."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="sample")
    authority = models.ForeignKey("registry.Authority", on_delete=models.PROTECT, related_name="+")
    stratum = models.CharField(max_length=40)
    inclusion_probability = models.FloatField()
    certainty = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["edition", "authority"], name="sample_unit_unique"),
            models.CheckConstraint(
                condition=Q(inclusion_probability__gt=0) & Q(inclusion_probability__lte=1),
                name="sample_inclusion_probability_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.edition_id}/{self.authority_id} ({self.stratum})"


class ResponseStatus(models.TextChoices):
    INVITED = "invited", _("invitée")
    STARTED = "started", _("commencée")
    SUBMITTED = "submitted", _("envoyée")
    VALIDATED = "validated", _("validée")


class Response(models.Model):
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="responses")
    authority = models.ForeignKey("registry.Authority", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=12, choices=ResponseStatus.choices, default=ResponseStatus.INVITED)
    simulated = models.BooleanField(default=False)
    started_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    #: Final (adjusted) weight of the latest weighting run; null until weighted.
    weight = models.FloatField(null=True, blank=True)
    design_weight = models.FloatField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["edition", "authority"], name="response_unique_per_edition"),
            models.CheckConstraint(condition=Q(weight__isnull=True) | Q(weight__gt=0), name="response_weight_positive"),
            models.CheckConstraint(
                condition=Q(status__in=["invited", "started"]) | Q(submitted_at__isnull=False),
                name="response_submitted_has_date",
            ),
        ]
        indexes = [models.Index(fields=["edition", "status"])]

    def __str__(self) -> str:
        return f"Réponse {self.authority_id} / {self.edition_id}"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question_id = models.CharField(max_length=80)
    value = models.JSONField()
    updated_at = models.DateTimeField(auto_now=True)
    #: Name typed by the person on their first visit (optional personal data,
    #: removed after the retention period by ``barometre responses purge-names``).
    updated_by = models.CharField(max_length=120, blank=True, default="")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["response", "question_id"], name="answer_unique_per_question")]

    def __str__(self) -> str:
        return f"{self.response_id}:{self.question_id}"


class IndicatorEstimate(models.Model):
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="estimates")
    indicator = models.CharField(max_length=80)
    breakdown = models.CharField(max_length=40)
    domain_value = models.CharField(max_length=80)
    estimate = models.FloatField(null=True, blank=True)
    se = models.FloatField(null=True, blank=True)
    ci_low = models.FloatField(null=True, blank=True)
    ci_high = models.FloatField(null=True, blank=True)
    #: Respondents and weighted population of the cell: null when the cell is hidden.
    n = models.PositiveIntegerField(null=True, blank=True)
    population = models.FloatField(null=True, blank=True)
    suppressed = models.BooleanField(default=False)
    #: ``confidentiality``, ``complementary``, ``precision`` (hidden cells) or "" (shown).
    reason = models.CharField(max_length=200, blank=True, default="")
    #: Shown but imprecise ("imprécis — à interpréter avec prudence", NCHS standard).
    imprecise = models.BooleanField(default=False)
    #: Unweighted share of the cell's respondents (percent), the observatory's base; null when hidden.
    respondent_share = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["indicator", "breakdown", "domain_value"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "indicator", "breakdown", "domain_value"], name="estimate_unique_cell"
            ),
            models.CheckConstraint(
                condition=Q(suppressed=False)
                | (
                    Q(estimate__isnull=True)
                    & Q(se__isnull=True)
                    & Q(ci_low__isnull=True)
                    & Q(ci_high__isnull=True)
                    & Q(n__isnull=True)
                    & Q(population__isnull=True)
                    & Q(respondent_share__isnull=True)
                ),
                name="estimate_suppressed_has_no_value",
            ),
        ]
        indexes = [models.Index(fields=["edition", "indicator"])]

    def __str__(self) -> str:
        return f"{self.indicator} [{self.breakdown}={self.domain_value}]"


class SmallAreaFit(models.Model):
    """The Fay–Herriot model of one indicator at one level (its checks, for the analyst and the note)."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="small_area_fits")
    indicator = models.CharField(max_length=80)
    level = models.CharField(max_length=12)
    #: ``core.sae.estimate.ModelCheck.to_dict()``
    checks = models.JSONField(default=dict)

    class Meta:
        ordering = ["indicator", "level"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "indicator", "level"], name="small_area_fit_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} [{self.level}]"


class SmallAreaEstimate(models.Model):
    """One area's direct estimate (null when withheld) and model-based estimate (``core.sae``)."""

    fit = models.ForeignKey(SmallAreaFit, on_delete=models.CASCADE, related_name="areas")
    area = models.CharField(max_length=8)
    name = models.CharField(max_length=80)
    direct = models.FloatField(null=True, blank=True)
    direct_se = models.FloatField(null=True, blank=True)
    direct_reason = models.CharField(max_length=200, blank=True, default="")
    estimate = models.FloatField()
    mse = models.FloatField()
    cv = models.FloatField(null=True, blank=True)
    #: null when the direct estimate is withheld (a hidden cell publishes no count)
    n = models.PositiveIntegerField(null=True, blank=True)
    method = models.CharField(max_length=12)
    shrinkage = models.FloatField(null=True, blank=True)
    std_residual = models.FloatField(null=True, blank=True)
    direct_vs_model = models.FloatField(null=True, blank=True)
    variance_source = models.CharField(max_length=8, blank=True, default="")

    class Meta:
        ordering = ["fit", "area"]
        constraints = [
            models.UniqueConstraint(fields=["fit", "area"], name="small_area_estimate_unique"),
            models.CheckConstraint(condition=Q(mse__gt=0), name="small_area_estimate_mse_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.fit}: {self.area}"


class AuditEntry(models.Model):
    """Who did what, when and why (reopening a response, publishing...)."""

    at = models.DateTimeField(auto_now_add=True)
    actor = models.CharField(max_length=120)
    action = models.CharField(max_length=60)
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    response = models.ForeignKey(Response, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    reason = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action}"
