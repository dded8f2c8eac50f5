"""Benchmark of the poll of French adults: simulate, rake, estimate (what ``barometre demo`` adds).

Sizes: 1,000 respondents (the demo polls) and 5,000. Reference measured in the same run: the same
estimates on the design before raking (no raking correction in the variance), so the ratio shows
what the linearisation of the raking costs.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from barometre.core.paths import POLL_QUESTIONNAIRES_DIR
from barometre.core.poll import load_margins, load_poll_catalogue, poll_estimates, weight_poll
from barometre.core.poll.simulate import simulate_poll
from barometre.core.poll.weighting import PollWeighting
from barometre.core.questionnaire import load_edition
from barometre.core.stats import design_from_arrays


def _best(fn: Callable[[], object], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def run(with_r: bool = False) -> None:
    qn = load_edition(2025, POLL_QUESTIONNAIRES_DIR)
    cat = load_poll_catalogue()
    margins = load_margins()
    for size in (1000, 5000):
        sim = simulate_poll(qn, cat, margins, seed=1, size=size)
        answers = [a for _, a in sim.respondents]
        w = weight_poll(answers, margins)
        flat = PollWeighting(design_from_arrays(weights=w.weights), w.weights, w.profiles, w.report)
        t_sim = _best(lambda: simulate_poll(qn, cat, margins, seed=1, size=size))  # noqa: B023
        t_rake = _best(lambda: weight_poll(answers, margins))  # noqa: B023
        t_est = _best(lambda: poll_estimates(w, answers, cat, 2025))  # noqa: B023
        t_ref = _best(lambda: poll_estimates(flat, answers, cat, 2025))  # noqa: B023
        print(
            f"poll n={size}: simulate {t_sim * 1000:.0f} ms, rake {t_rake * 1000:.0f} ms, "
            f"estimates {t_est * 1000:.0f} ms ({t_est / t_ref:.1f}× the same estimates without the raking correction)"
        )
