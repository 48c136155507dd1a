"""Tokens spent on one piece of work, replies of calls that then failed included."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from summarizer.datamodel.schemas import TokenUsage


@dataclass
class UsageMeter:
    """The tokens of every reply received while it is active."""

    usage: TokenUsage = field(default_factory=TokenUsage)


_active: ContextVar[UsageMeter | None] = ContextVar("summarizer_usage_meter", default=None)


@contextmanager
def metering() -> Iterator[UsageMeter]:
    """Count the tokens of every reply in this context (and the tasks it starts).

    A summary's metadata carries its usage, but a call that fails (re-asks used up, an
    endpoint error after some replies) has no summary to carry it; the batch runner meters each
    article so that its error record and the run's totals still show what was spent, and an
    eval run meters all its articles for its report.
    """
    meter = UsageMeter()
    token = _active.set(meter)
    try:
        yield meter
    finally:
        _active.reset(token)


def record_usage(usage: TokenUsage) -> None:
    """Add one reply's tokens to the active meter, if any."""
    meter = _active.get()
    if meter is not None:
        meter.usage = meter.usage + usage
