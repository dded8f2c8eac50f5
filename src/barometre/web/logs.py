"""No secret in the logs: the token segment of portal URLs is masked in every record.

A respondent's link is ``/repondre/<token>/…``: whoever reads a log line with it can answer
in the authority's name. :class:`MaskTokensFilter` sits on every handler (Django's console
handler, gunicorn's error and access handlers) and rewrites each record before it is
written: its message and arguments, its formatted traceback and the ``request`` Django
attaches to ``django.request`` records. Both the prefix and the secret part are masked.
"""

from __future__ import annotations

import logging
import re
from typing import Any

#: The token segment after the portal's mount point (any characters up to the next ``/``,
#: ``?``, ``#``, quote or space: a tampered token is masked too).
TOKEN_IN_PATH = re.compile(r"(/repondre/)[^/?#\s'\"<>]+")
MASK = r"\1[jeton]"


def mask(text: str) -> str:
    return TOKEN_IN_PATH.sub(MASK, text)


class MaskTokensFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: keep what can be kept, masked
            message = f"{record.msg} {record.args}"
        record.msg, record.args = mask(message), ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask(record.exc_text)
            record.exc_info = None  # formatted (and masked) once: never formatted again from the raw exception
        if record.stack_info:
            record.stack_info = mask(record.stack_info)
        request: Any = getattr(record, "request", None)
        if request is not None and not isinstance(request, str):
            record.request = mask(repr(request))
        return True
