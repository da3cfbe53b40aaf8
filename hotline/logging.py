"""Structured logs with a request id, and never a phone number or a message body.

``RedactFilter`` is installed on every handler, so a careless log call anywhere (ours or a
library's) cannot leak a caller's number or what they wrote.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
from collections.abc import Mapping
from datetime import UTC, datetime

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

REDACTED = "[redacted]"
#: E.164 and U.S.-style numbers, with or without "whatsapp:" in front.
PHONE = re.compile(r"(?:whatsapp:)?(?:\+\d[\d\s().-]{6,}\d|\(?\b\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}\b)")
#: Form or dict fields whose values are personal: numbers and what callers wrote or said.
PERSONAL_KEYS = frozenset(
    {"body", "from", "to", "speechresult", "phone", "caller", "recordingurl", "unredacted"}
)
_FIELD = re.compile(
    r"(?i)\b(Body|From|To|SpeechResult|phone|RecordingUrl)(['\"]?\s*[=:]\s*['\"]?)([^&,'\"}\s]+)"
)


def redact(value: object) -> object:
    """``value`` with numbers and personal fields replaced (strings, dicts, lists, tuples)."""
    if isinstance(value, str):
        return PHONE.sub(REDACTED, _FIELD.sub(lambda m: m.group(1) + m.group(2) + REDACTED, value))
    if isinstance(value, Mapping):
        return {
            key: REDACTED if str(key).lower() in PERSONAL_KEYS else redact(item)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return type(value)(redact(item) for item in value)
    return value


class RedactFilter(logging.Filter):
    """Rewrites each record's message and arguments before any handler formats it."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(str(record.msg))
        if isinstance(record.args, Mapping):
            record.args = redact(record.args)
        elif record.args:
            record.args = tuple(redact(arg) for arg in record.args)
        return True


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id (and exception)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)
