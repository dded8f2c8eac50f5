"""Human labels of breakdown values: the core's one function (``core.wording.labels``)."""

from __future__ import annotations

from barometre.core.wording.labels import REGION_NAMES, domain_label

__all__ = ["REGION_NAMES", "domain_label"]
