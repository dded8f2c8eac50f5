"""Former home of :mod:`barometre.core.wording.labels`, kept for ``core/report`` only.

``core/report`` is being reorganised on other branches; once they are merged, its modules import
:mod:`barometre.core.wording.labels` and this module goes (nothing else imports it).
"""

from barometre.core.wording.labels import (
    ALL_AUTHORITIES as ALL_AUTHORITIES,
)
from barometre.core.wording.labels import (
    IMPRECISE_LABEL as IMPRECISE_LABEL,
)
from barometre.core.wording.labels import (
    INTERVAL_METHOD_TEXT as INTERVAL_METHOD_TEXT,
)
from barometre.core.wording.labels import (
    MAR_ASSUMPTION_TEXT as MAR_ASSUMPTION_TEXT,
)
from barometre.core.wording.labels import (
    PERIOD_LABELS as PERIOD_LABELS,
)
from barometre.core.wording.labels import (
    REASON_LABELS as REASON_LABELS,
)
from barometre.core.wording.labels import (
    REGION_NAMES as REGION_NAMES,
)
from barometre.core.wording.labels import (
    definition_pair as definition_pair,
)
from barometre.core.wording.labels import (
    domain_label as domain_label,
)
from barometre.core.wording.labels import (
    imprecise_label as imprecise_label,
)
from barometre.core.wording.labels import (
    interval_method_text as interval_method_text,
)
from barometre.core.wording.labels import (
    plain_definition as plain_definition,
)
from barometre.core.wording.labels import (
    reason_label as reason_label,
)
