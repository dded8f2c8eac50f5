"""Weight adjustments. Contract: each function takes a design and returns a new design
whose weights are adjusted and which carries the correction the variance needs
(see :mod:`barometre.core.stats.design`)."""

from barometre.core.stats.adjust.calibrate import calibrate
from barometre.core.stats.adjust.nonresponse import nonresponse_adjust
from barometre.core.stats.adjust.poststratify import poststratify
from barometre.core.stats.adjust.rake import rake
from barometre.core.stats.adjust.trim import trim_weights

__all__ = ["calibrate", "nonresponse_adjust", "poststratify", "rake", "trim_weights"]
