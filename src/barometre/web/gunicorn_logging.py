"""gunicorn's loggers with the token mask of :mod:`barometre.web.logs` on every handler
(``barometre serve`` passes ``--logger-class``): gunicorn logs the URL of a request whose
handling failed ("Error handling request /repondre/<token>/…")."""

from __future__ import annotations

from typing import Any

from gunicorn.glogging import Logger

from barometre.web.logs import MaskTokensFilter


class MaskingLogger(Logger):  # type: ignore[misc]
    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                if not any(isinstance(f, MaskTokensFilter) for f in handler.filters):
                    handler.addFilter(MaskTokensFilter())
