"""Structured logs with a request id, and never a phone number or a message body.

``RedactFilter`` is installed on the root handler (and on gunicorn's), so a careless log call
anywhere, ours or a library's, cannot leak a caller's number or what they wrote or said.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
from collections.abc import Mapping
from datetime import UTC, datetime

from gunicorn.glogging import Logger as _GunicornBaseLogger

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

# Python's warnings become records of the "py.warnings" logger, so they too come out as
# redacted JSON lines instead of raw text on stderr. LOGGING loads this module in every
# process (web, worker, beat, manage.py).
logging.captureWarnings(True)

REDACTED = "[redacted]"
#: E.164 and other international numbers (``+`` then digits and separators, also URL-encoded
#: as ``%2B``), and U.S. numbers written as 512-555-0100, (512) 555-0100, 512.555.0100,
#: 5125550100, 1-512-555-0100; with or without ``whatsapp:`` in front.
PHONE = re.compile(
    r"(?:whatsapp(?::|%3[Aa]))?"
    r"(?:(?:\+|%2[Bb])\d[\d\s().-]{6,}\d"
    r"|(?<![\w+])(?:1[\s.-]?)?(?:\([2-9]\d{2}\)\s?|[2-9]\d{2}[\s.-]?)[2-9]\d{2}[\s.-]?\d{4}(?!\w))"
)
#: Keys whose values are personal: numbers, names, and what callers wrote or said. Twilio's
#: parameter names are matched in any case; "From" and "To" only capitalised, so prose such
#: as "to: the worker" is left alone (numbers in it are still caught by ``PHONE``).
PERSONAL_KEYS = frozenset(
    {
        "body",
        "from",
        "to",
        "speechresult",
        "unstablespeechresult",
        "phone",
        "phonenumber",
        "caller",
        "called",
        "callername",
        "profilename",
        "waid",
        "recordingurl",
    }
)
_FIELD = re.compile(
    r"(?P<key>(?i:\b(?:"
    + "|".join(sorted(PERSONAL_KEYS - {"from", "to"}))
    + r")\b)|\bFrom\b|\bTo\b)"
    r"(?P<sep>['\"]?\s*[=:]\s*)"
    r"(?P<value>'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|[^&\r\n]*)"
)
#: Attributes every record has; anything else came in through ``extra=``.
_STANDARD_ATTRIBUTES = frozenset(
    set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "request_id"}
)


def _field_redacted(match: re.Match[str]) -> str:
    value = match["value"]
    quote = value[0] if value[:1] in ("'", '"') else ""
    return f"{match['key']}{match['sep']}{quote}{REDACTED}{quote}"


def redact_text(text: str) -> str:
    """``text`` with phone numbers and personal fields replaced."""
    return PHONE.sub(REDACTED, _FIELD.sub(_field_redacted, text))


def redact_mapping(values: Mapping) -> dict:
    """``values`` with personal fields replaced and every other value redacted."""
    return {
        key: REDACTED if str(key).lower() in PERSONAL_KEYS else redact(item)
        for key, item in values.items()
    }


def redact(value: object) -> object:
    """``value`` with numbers and personal fields replaced (strings, dicts, lists, tuples).

    Other objects are returned as they are: ``RedactFilter`` formats the message first, so
    their text is redacted there.
    """
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, Mapping):
        return redact_mapping(value)
    if isinstance(value, list | tuple):
        return type(value)(redact(item) for item in value)
    return value


def extra_fields(record: logging.LogRecord) -> dict[str, object]:
    """What the caller passed with ``extra=``."""
    return {key: value for key, value in vars(record).items() if key not in _STANDARD_ATTRIBUTES}


class RedactFilter(logging.Filter):
    """Rewrites a record before any handler formats it: the message (formatted with its
    arguments, so an object's text is covered too), the ``extra`` fields, the traceback."""

    _tracebacks = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, Mapping):
            record.args = redact_mapping(record.args)
        elif record.args:
            record.args = tuple(redact(arg) for arg in record.args)
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            message = f"{record.msg} {record.args}"
        record.msg, record.args = redact_text(message), None
        for key, value in extra_fields(record).items():
            setattr(record, key, REDACTED if key.lower() in PERSONAL_KEYS else redact(value))
        if record.exc_info and not record.exc_text:
            record.exc_text = self._tracebacks.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact_text(record.exc_text)
        if record.stack_info:
            record.stack_info = redact_text(record.stack_info)
        return True


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


def _json_value(value: object) -> object:
    """Values ``json`` cannot write become their (redacted) text."""
    return redact(str(value))


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, the ``extra``
    fields, and the traceback if any."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        for key, value in extra_fields(record).items():
            entry.setdefault(key, value)
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = redact(record.exc_text)
        if record.stack_info:
            entry["stack"] = redact(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=_json_value)


class GunicornLogger(_GunicornBaseLogger):
    """gunicorn's own messages (boot, worker timeouts) as the same redacted JSON lines.

    Requests are logged by ``hotline.middleware.RequestIdMiddleware``, so gunicorn's plain-text
    access log stays off.
    """

    def setup(self, cfg) -> None:
        super().setup(cfg)
        for handler in self.error_log.handlers:
            handler.setFormatter(JsonFormatter())
            handler.addFilter(RequestIdFilter())
            handler.addFilter(RedactFilter())
