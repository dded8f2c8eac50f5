"""The citizens' poll: a survey of French adults beside the authorities' barometer.

Census margins (``margins``), indicators (``catalogue``), raking and estimates (``weighting``),
simulated polls (``simulate``) and the import of an institute's file (``importer``).
"""

from barometre.core.poll.catalogue import PollCatalogue, load_poll_catalogue
from barometre.core.poll.margins import CensusMargins, load_margins
from barometre.core.poll.weighting import PollEstimateRow, PollWeighting, poll_estimates, weight_poll

__all__ = [
    "CensusMargins",
    "PollCatalogue",
    "PollEstimateRow",
    "PollWeighting",
    "load_margins",
    "load_poll_catalogue",
    "poll_estimates",
    "weight_poll",
]
