"""One error type per domain, each with a message a user can act on.

The CLI maps every :class:`BarometreError` to exit status 2 and one line on
stderr; the web maps it to one page shape and the API to one JSON shape.
"""

from __future__ import annotations


class BarometreError(Exception):
    """Base of every expected, user-facing error of the core."""

    code = "error"

    def __init__(self, message: str, *, location: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.location = location

    def __str__(self) -> str:
        if self.location:
            return f"{self.location}: {self.message}"
        return self.message


class RegistryError(BarometreError):
    code = "registry_error"


class QuestionnaireError(BarometreError):
    code = "questionnaire_error"


class StatsError(BarometreError):
    code = "stats_error"


class ConvergenceWarning(UserWarning):
    """An iterative weight adjustment stopped at its iteration limit and returned its last
    weights (R warns and carries on: ``rake`` always, ``calibrate`` with ``force = TRUE``).
    ``code`` names the adjustment for the layers that word it."""

    def __init__(self, message: str, *, code: str, achieved: float | None = None, iterations: int = 0) -> None:
        super().__init__(message)
        self.code = code
        self.achieved = achieved
        self.iterations = iterations


class IndicatorError(BarometreError):
    code = "indicator_error"


class EditionError(BarometreError):
    code = "edition_error"


class DiagnosticError(BarometreError):
    code = "diagnostic_error"


class ReportError(BarometreError):
    code = "report_error"


class PollError(BarometreError):
    """The citizens' poll: margins, respondents, import file, weighting."""

    code = "poll_error"


class ProjectError(BarometreError):
    code = "project_error"


class NotFound(BarometreError):
    """An object named by the user does not exist (unknown code, edition...)."""

    code = "not_found"


class BackupError(BarometreError):
    """A backup cannot be written, or an archive cannot be restored (nothing is changed)."""
