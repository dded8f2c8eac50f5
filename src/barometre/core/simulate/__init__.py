"""Simulated editions (flagged ``simulated=True``, shown as « données simulées »)."""

from barometre.core.simulate.edition import (
    DEFAULT_RESPONDENTS,
    RESPONSE_PROPENSITY,
    FitTarget,
    SimulatedEdition,
    simulate_edition,
)

__all__ = ["DEFAULT_RESPONDENTS", "RESPONSE_PROPENSITY", "FitTarget", "SimulatedEdition", "simulate_edition"]
