"""Keep API keys out of log output: a logging filter that masks known secrets and anything
shaped like a key or bearer token (libraries below us log raw error bodies, and some endpoints
echo the Authorization header in them)."""

from __future__ import annotations

import logging
import re

_KEY_SHAPES = re.compile(r"(?i)(bearer\s+)\S+|\bsk-[A-Za-z0-9_\-]{8,}")
_known: set[str] = set()


def register_secret(value: str) -> None:
    """Mask ``value`` wherever it appears in a log record from now on."""
    if len(value) >= 4:
        _known.add(value)


def redact(text: str) -> str:
    for secret in _known:
        text = text.replace(secret, "***")
    return _KEY_SHAPES.sub(lambda m: (m.group(1) or "") + "***", text)


class RedactingFilter(logging.Filter):
    """Rewrites each record's message with :func:`redact` (arguments merged in first)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True
