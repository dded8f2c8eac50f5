"""What the missing-at-random assumption costs: coverage and bias under self-selection.

One simulated population (edition 2025: every authority of the frame answers the
questionnaire, données simulées), then repeated voluntary surveys of the demo's size drawn from
it, each weighted by the production pipeline (``weight_edition``: nonresponse by stratum,
bounded raking calibration, trimming) and estimated as published (``domain_means`` on the
calibrated design, Korn–Graubard 95 % interval with the design df). Two response mechanisms:
at random within strata (the weighting's assumption) and self-selection of a named strength
(``core.simulate.SELF_SELECTION``: response odds ``exp(strength)`` per SD of the authority's
answer maturity score). Printed: coverage of the national 95 % intervals of ``K_IND``
indicators against the population's true shares, and the bias of three headline indicators.
"""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np

REPLICATIONS = 40
RESPONDENTS = 292  # the demo edition 2025
K_IND = 12
HEADLINE = ("data_project_2y", "ai_done_or_tested", "rssi")
STRENGTHS = ("moderee", "forte")


def run(with_r: bool = False) -> None:
    from barometre.core.errors import StatsError
    from barometre.core.indicators.catalogue import load_catalogue
    from barometre.core.indicators.compute import indicator_matrix
    from barometre.core.questionnaire import load_edition
    from barometre.core.registry import load_snapshot
    from barometre.core.simulate.edition import (
        SELF_SELECTION,
        answer_maturity,
        draw_respondents,
        selection_odds,
        simulate_edition,
    )
    from barometre.core.stats.fast import domain_means
    from barometre.core.stats.korn_graubard import korn_graubard
    from barometre.core.weighting import FrameMargins, build_edition_arrays, frame_arrays, weight_edition
    from barometre.core.weighting.pipeline import DROM, DROM_REGIONS, WeightingOptions

    year = 2025
    t0 = time.perf_counter()
    fa = frame_arrays(load_snapshot())
    cat, qn = load_catalogue(), load_edition(year)
    sim = simulate_edition(year, 1, None, frame=fa, questionnaire=qn, catalogue=cat)
    national = [i for i in cat.for_edition(year) if "ensemble" in i.breakdowns]
    chosen = [i for i in national if i.id in HEADLINE] + [i for i in national if i.id not in HEADLINE]
    sub = replace(cat, indicators=tuple(chosen[:K_IND]))
    everyone = build_edition_arrays(
        year=year, frame=fa, answers={str(c): dict(a) for c, a in zip(fa.codes, sim.frame_answers, strict=True)}
    )
    mat = indicator_matrix(everyone, np.arange(fa.n, dtype=np.int64), sub, qn)
    ids = [i.id for i in mat.indicators]
    truth = np.nanmean(mat.values, axis=0)
    maturity = answer_maturity(qn, sim.frame_answers)
    margins = FrameMargins.from_frame(fa)
    # Corse grouped with Provence-Alpes-Côte d'Azur: a draw of 292 may leave it without respondent
    options = WeightingOptions(region_groups={**dict.fromkeys(DROM_REGIONS, DROM), "94": "93"})
    t_setup = time.perf_counter() - t0
    print(
        f"response_bench {year} (données simulées): population of {fa.n} authorities, {len(ids)} national "
        f"indicators, {REPLICATIONS} surveys of {RESPONDENTS} respondents per mechanism (setup {t_setup:.1f} s)"
    )
    mechanisms: list[tuple[str, np.ndarray | None]] = [("random within strata", None)]
    for name in STRENGTHS:
        strength = SELF_SELECTION[name].strength
        mechanisms.append((f"self-selection '{name}' ({strength:g})", selection_odds(maturity, strength)))
    for label, mech_odds in mechanisms:
        rng = np.random.default_rng(16)
        hits = np.zeros(len(ids))
        est = np.full((REPLICATIONS, len(ids)), np.nan)
        failed = 0
        t1 = time.perf_counter()
        for r in range(REPLICATIONS):
            rows = draw_respondents(fa, RESPONDENTS, rng, mech_odds)
            arrays = build_edition_arrays(year=year, frame=fa, answers={str(c): {} for c in fa.codes[rows]})
            try:
                wr = weight_edition(arrays, margins, options)
            except StatsError:  # the pipeline refuses these weights (reported below)
                failed += 1
                continue
            y = mat.values[wr.rows]
            res = domain_means(wr.design, y, np.zeros(y.shape[0], dtype=np.int64))
            for j in range(len(ids)):
                p, se = float(res.estimate[0, j]), float(res.se[0, j])
                lo, hi = korn_graubard(min(1.0, max(0.0, p)), se, int(res.n[0, j]), df=int(res.df[0, j]))
                hits[j] += lo <= truth[j] <= hi
                est[r, j] = p
        done = REPLICATIONS - failed
        cover = hits.sum() / (done * len(ids))
        bias = {ids[j]: 100 * (np.nanmean(est[:, j]) - truth[j]) for j in range(len(ids)) if ids[j] in HEADLINE}
        print(
            f"  {label:<32} coverage of the 95 % intervals {cover:.3f} "
            f"(range over indicators {hits.min() / done:.2f}-{hits.max() / done:.2f}; {done} surveys weighted"
            f"{f', {failed} refused by the weighting' if failed else ''}); "
            + "; ".join(f"{k} bias {b:+.1f} pts (truth {100 * truth[ids.index(k)]:.1f} %)" for k, b in bias.items())
            + f" ({time.perf_counter() - t1:.0f} s)"
        )


if __name__ == "__main__":
    run(False)
