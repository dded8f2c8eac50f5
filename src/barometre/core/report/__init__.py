"""The note de conjoncture: figures (SVG/PNG/CSV), a self-contained HTML page and an A4 PDF.

Pure Python (no Django). Entry point: :func:`build_report` on a :class:`ReportInput`
(``model.py``). See ``README.md`` beside this module.
"""

from barometre.core.report.build import HEADLINE, BuildResult, build_report, render_html
from barometre.core.report.model import EditionMeta, ReportInput, Row, rows_from

__all__ = [
    "HEADLINE",
    "BuildResult",
    "EditionMeta",
    "ReportInput",
    "Row",
    "build_report",
    "render_html",
    "rows_from",
]
