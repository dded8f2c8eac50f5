"""Nonresponse adjustment within weighting classes (Särndal, Swensson & Wretman 1992,
sec. 15.6; Lumley 2010 sec. 7.1).

In class ``c``: ``w_i* = w_i * sum_{j in c} w_j / sum_{j in c, respondent} w_j`` for
respondents; non-respondents leave the design. The variance treats the adjusted weights
as sampling weights (response assumed missing at random within classes).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from barometre.core.errors import StatsError
from barometre.core.stats.design import BoolArray, IntArray, SurveyDesign


def nonresponse_adjust(design: SurveyDesign, respondent: BoolArray, classes: IntArray) -> SurveyDesign:
    respondent = np.asarray(respondent, dtype=bool)
    classes = np.asarray(classes, dtype=np.int64)
    w = design.weights
    g = int(classes.max()) + 1
    tot = np.bincount(classes, weights=w, minlength=g)
    resp = np.bincount(classes, weights=np.where(respondent, w, 0.0), minlength=g)
    bad = (tot > 0) & (resp == 0)
    if bad.any():
        raise StatsError(f"classe de pondération sans répondant : {int(np.flatnonzero(bad)[0])}")
    factor = np.where(resp > 0, tot / np.where(resp > 0, resp, 1.0), 0.0)
    new_w = np.where(respondent, w * factor[classes], 0.0)
    return replace(design, weights=new_w, present=design.present & respondent)
