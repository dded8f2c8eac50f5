"""XLSForm export (:mod:`.export`) and import (:mod:`.importer`), which share only :mod:`.common`."""

from __future__ import annotations

from barometre.core.questionnaire.xlsform.common import XLSFormRefused
from barometre.core.questionnaire.xlsform.export import export_xlsform
from barometre.core.questionnaire.xlsform.importer import ImportResult, import_xlsform

__all__ = ["ImportResult", "XLSFormRefused", "export_xlsform", "import_xlsform"]
