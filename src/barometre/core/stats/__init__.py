"""Survey statistics engine: numbers identical to R ``survey`` (Lumley). See README.md."""

from barometre.core.stats.adjust import calibrate, nonresponse_adjust, poststratify, rake, trim_weights
from barometre.core.stats.design import SurveyDesign, design_from_arrays
from barometre.core.stats.disclosure import DisclosureRule, check_disclosure
from barometre.core.stats.estimators import Estimate, confint, svymean, svyratio, svytotal
from barometre.core.stats.fast import DomainMeans, domain_means
from barometre.core.stats.proportions import svyciprop
from barometre.core.stats.quantiles import svyquantile
from barometre.core.stats.replicates import ReplicateDesign, as_svrepdesign

__all__ = [
    "DisclosureRule",
    "DomainMeans",
    "Estimate",
    "ReplicateDesign",
    "SurveyDesign",
    "as_svrepdesign",
    "calibrate",
    "check_disclosure",
    "confint",
    "design_from_arrays",
    "domain_means",
    "nonresponse_adjust",
    "poststratify",
    "rake",
    "svyciprop",
    "svymean",
    "svyquantile",
    "svyratio",
    "svytotal",
    "trim_weights",
]
