"""Weighting of an edition: design weights → nonresponse adjustment → calibration → trimming.

See ``README.md`` in this package for the model and its assumptions.
"""

from barometre.core.weighting.pipeline import (
    ASSUMPTION,
    FrameMargins,
    WeightingOptions,
    WeightingResult,
    weight_edition,
)
from barometre.core.weighting.units import (
    EditionArrays,
    FrameArrays,
    build_edition_arrays,
    frame_arrays,
    frame_units,
)

__all__ = [
    "ASSUMPTION",
    "EditionArrays",
    "FrameArrays",
    "FrameMargins",
    "WeightingOptions",
    "WeightingResult",
    "build_edition_arrays",
    "frame_arrays",
    "frame_units",
    "weight_edition",
]
