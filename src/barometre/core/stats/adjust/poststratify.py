"""Post-stratification (R's ``postStratify``; Lumley 2010 sec. 7.2; Särndal et al. 1992 sec. 7.6).

Within post-stratum ``g``: ``w_i* = w_i N_g / N̂_g`` with ``N̂_g = sum_{i in g} w_i``.
Variance: the linearised variable is replaced by its residual from the post-stratum
(weighted) mean, ``z_i - w*_i sum_{j in g} w_j z_j / w*_j / sum_{j in g} w_j``.
"""

from __future__ import annotations

import numpy as np

from barometre.core.errors import StatsError
from barometre.core.stats.design import FloatArray, IntArray, PostStratumCorrection, SurveyDesign
from barometre.core.stats.replicates import ReplicateDesign, poststratify_replicates


def check_margin(groups: IntArray, population: FloatArray, weights: FloatArray, what: str = "post-strates") -> None:
    g = population.shape[0]
    if groups.size and (groups.min() < 0 or groups.max() >= g):
        raise StatsError(f"{what} : catégories de l'échantillon absentes des marges de population")
    sample = np.bincount(groups, weights=weights, minlength=g)
    if np.any((sample == 0) & (population > 0)):
        raise StatsError(f"{what} : catégories de la population absentes de l'échantillon")
    if np.any((population == 0) & (sample > 0)):
        raise StatsError(f"{what} : catégories de l'échantillon de total nul dans la population")
    if np.any(population < 0) or np.isnan(population).any():
        raise StatsError(f"{what} : totaux de population négatifs ou manquants")


def poststratify(
    design: SurveyDesign | ReplicateDesign, groups: IntArray, population: FloatArray
) -> SurveyDesign | ReplicateDesign:
    """Post-stratify on ``groups`` (codes 0..G-1, one per row) to ``population[g]`` totals."""
    groups = np.asarray(groups, dtype=np.int64)
    population = np.asarray(population, dtype=np.float64)
    check_margin(groups, population, design.weights)
    if isinstance(design, ReplicateDesign):
        return poststratify_replicates(design, groups, population)
    w = design.weights
    sample = np.bincount(groups, weights=w, minlength=population.shape[0])
    reweight = np.where(sample > 0, population / np.where(sample > 0, sample, 1.0), 1.0)
    new_w = w * reweight[groups]
    return design.with_weights(new_w, PostStratumCorrection(groups, new_w, w))
