"""Write the data of the poll's R reference case (tests/reference/survey/poll2025*.csv).

A simulated 2025 poll (seed 2025): one row per respondent with its raking variables, breakdown
variables, initial weight and 0/1 indicators, and the census margins the raking aims at. Then
``Rscript generate_poll.R`` (run in tests/reference/survey) makes ``poll2025_rake.json``.
Region and commune-size codes carry a prefix (``r11``, ``t3500_9999``) so that R and pandas read
them as text.
"""

from __future__ import annotations

import csv

from barometre.core.paths import POLL_QUESTIONNAIRES_DIR, REFERENCE_DIR
from barometre.core.poll import load_margins, load_poll_catalogue
from barometre.core.poll.simulate import simulate_poll
from barometre.core.poll.weighting import indicator_values, profile
from barometre.core.questionnaire import load_edition

EDITION = 2025
SEED = 2025
PREFIX = {"region": "r", "taille_commune": "t"}


def main() -> None:
    out = REFERENCE_DIR / "survey"
    margins = load_margins()
    catalogue = load_poll_catalogue()
    qn = load_edition(EDITION, POLL_QUESTIONNAIRES_DIR)
    poll = simulate_poll(qn, catalogue, margins, seed=SEED)
    answers = [a for _, a in poll.respondents]
    indicators = catalogue.for_edition(EDITION)
    values = {ind.id: indicator_values(answers, ind.question, ind.codes) for ind in indicators}
    w0 = margins.total / len(answers)
    cols = ["id", "sexe_age", "sexe", "age", "region", "taille_commune", "profession", "w0"] + [
        i.id for i in indicators
    ]
    with (out / f"poll{EDITION}.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(cols)
        for i, (code, a) in enumerate(poll.respondents):
            p = profile(a, i)
            row: list[object] = [code, p["sexe_age"], p["sexe"], p["age"]]
            row += [PREFIX["region"] + p["region"], PREFIX["taille_commune"] + p["taille_commune"], p["profession"]]
            row += [repr(w0)] + [int(values[ind.id][i]) for ind in indicators]
            writer.writerow(row)
    with (out / f"poll{EDITION}_margins.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["margin", "category", "Freq"])
        for m in margins.margins:
            for cat, target in zip(m.categories, m.targets, strict=True):
                writer.writerow([m.id, PREFIX.get(m.id, "") + cat, repr(float(target))])
    print(f"wrote poll{EDITION}.csv ({len(answers)} rows) and poll{EDITION}_margins.csv")


if __name__ == "__main__":
    main()
