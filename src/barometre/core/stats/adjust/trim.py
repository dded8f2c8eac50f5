"""Weight trimming (R's ``trimWeights``; Lumley 2010 sec. 7.5; Potter 1990).

Weights outside ``[lower, upper]`` are set to the bound and the trimmed amount is spread
equally over the other weights (``+ sum(trimmings)/n_inside``), so the total is kept.
With ``strict=True`` this is repeated until no weight is outside the bounds. Variance
corrections of earlier calibration are kept, as R does.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from barometre.core.errors import StatsError
from barometre.core.stats.design import SurveyDesign
from barometre.core.stats.replicates import ReplicateDesign


def trim_weights(
    design: SurveyDesign | ReplicateDesign, *, lower: float = -np.inf, upper: float = np.inf, strict: bool = False
) -> SurveyDesign | ReplicateDesign:
    if lower > upper:
        raise StatsError("trimming : borne inférieure au-dessus de la borne supérieure")
    for _ in range(10_000):
        pw = design.weights
        outside = (pw < lower) | (pw > upper)
        if isinstance(design, SurveyDesign):
            outside &= design.present
        if not outside.any():
            return design
        inside = ~outside
        if isinstance(design, SurveyDesign):
            inside &= design.present
        if not inside.any():
            raise StatsError("trimming : tous les poids sont hors des bornes")
        new = np.clip(pw, lower, upper)
        new = np.where(design.present if isinstance(design, SurveyDesign) else True, new, pw)
        trimmings = float((pw - new).sum())
        new = np.where(inside, new + trimmings / int(inside.sum()), new)
        design = replace(design, weights=new)
        if not strict:
            return design
    raise StatsError("trimming : pas de convergence")
