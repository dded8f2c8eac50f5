"""The weighting report's shape: what :func:`barometre.core.weighting.pipeline.weight_edition` tells
about a weighting, stored as JSON with the edition and read by the note, the CLI and the console.

Typed so that every reader names the same keys (a JSON column gives it back as a plain mapping of
this shape).
"""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict


class StratumResponse(TypedDict):
    stratum: str
    label: str
    #: The response-homogeneity group the stratum was collapsed into (itself when not collapsed).
    group: str
    units: int
    respondents: int
    response_rate: float
    weighted_response_rate: float
    weight_sum: float
    mean_weight: float


class RegionResponse(TypedDict):
    region: str
    units: int
    respondents: int
    response_rate: float


class PartialR(TypedDict):
    group: str
    propensity: float
    partial_r: float


class RIndicator(TypedDict):
    """Schouten, Cobben & Bethlehem (2009): R = 1 − 2 S(ρ) over the response-homogeneity groups."""

    model: str
    value: float
    mean_propensity: float
    sd_propensity: float
    partial: list[PartialR]


class WeightStats(TypedDict, total=False):
    """Distribution of a set of weights (empty when there is none)."""

    min: float
    p25: float
    median: float
    p75: float
    max: float
    mean: float
    cv: float
    sum: float


class Weights(TypedDict):
    design: WeightStats
    nonresponse: WeightStats
    final: WeightStats


class MarginFit(TypedDict):
    margin: str
    category: str
    target: float
    achieved: float
    relative_error: float


class Calibration(TypedDict):
    distance: str
    bounds: list[float]
    population: bool
    regions: bool
    region_groups: NotRequired[dict[str, str]]


class Trimming(TypedDict):
    ratio: float | None
    trimmed: int


class WeightingReport(TypedDict):
    year: int
    collection: str
    simulated: bool
    assumption: str
    units: int
    respondents: int
    response_rate: float
    weighted_response_rate: float
    by_stratum: list[StratumResponse]
    by_region: list[RegionResponse]
    r_indicator: RIndicator
    weights: Weights
    effective_sample_size: float
    design_effect_weighting: float
    margins: list[MarginFit]
    max_margin_relative_error: float
    calibration: Calibration
    trimming: Trimming
    collapse: dict[str, str]
    converged: bool
    #: Coded events (``calibration_bounds_relaxed``…) with their parameters, worded at the edge.
    events: list[dict[str, Any]]
    #: Notes in French for the note's annex (the pipeline writes none today; the builder shows them).
    notes: NotRequired[list[str]]
