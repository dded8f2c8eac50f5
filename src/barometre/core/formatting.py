"""Former home of :mod:`barometre.core.wording.numbers`, kept for ``core/report`` only.

``core/report`` is being reorganised on other branches; once they are merged, its modules import
:mod:`barometre.core.wording.numbers` and this module goes (nothing else imports it).
"""

from barometre.core.wording.numbers import (
    MONTHS as MONTHS,
)
from barometre.core.wording.numbers import (
    NBSP as NBSP,
)
from barometre.core.wording.numbers import (
    NNBSP as NNBSP,
)
from barometre.core.wording.numbers import (
    format_day as format_day,
)
from barometre.core.wording.numbers import (
    format_interval as format_interval,
)
from barometre.core.wording.numbers import (
    format_margin as format_margin,
)
from barometre.core.wording.numbers import (
    format_number as format_number,
)
from barometre.core.wording.numbers import (
    format_percent as format_percent,
)
from barometre.core.wording.numbers import (
    format_points as format_points,
)
from barometre.core.wording.numbers import (
    format_source_date as format_source_date,
)
