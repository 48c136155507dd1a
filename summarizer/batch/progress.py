"""Progress bar (tqdm, on stderr, only on a terminal) and the closing summary line."""

from __future__ import annotations

from typing import Any

from summarizer.batch.pricing import Price
from summarizer.batch.runner import BatchTotals
from summarizer.datamodel.schemas import BatchRecord


class BatchProgressBar:
    """done/failed counts, rate, ETA and tokens while a batch runs."""

    def __init__(self, totals: BatchTotals, *, enabled: bool | None = None) -> None:
        from tqdm import tqdm

        self.totals = totals
        # disable=None: tqdm draws only when stderr is a terminal.
        self._bar: Any = tqdm(
            total=totals.total,
            unit="article",
            dynamic_ncols=True,
            disable=None if enabled is None else not enabled,
        )

    def _sync(self) -> None:
        totals = self.totals
        target = totals.processed + totals.already_done + totals.duplicates
        if target > self._bar.n:
            self._bar.update(target - self._bar.n)

    def __call__(self, record: BatchRecord) -> None:
        totals = self.totals
        self._bar.set_postfix(
            ok=totals.ok,
            failed=totals.failed,
            cached=totals.cached,
            tok_in=totals.usage.prompt_tokens,
            tok_out=totals.usage.completion_tokens,
            refresh=False,
        )
        self._sync()

    def close(self) -> None:
        self._sync()
        self._bar.close()


def summary_line(totals: BatchTotals, price: Price | None) -> str:
    """One line: articles, failures, tokens, wall time, rate, and cost when the price is known."""
    wall = totals.wall_s
    rate = totals.processed / wall if wall > 0 else 0.0
    parts = [
        f"{totals.processed} articles ({totals.ok} ok, {totals.failed} failed, "
        f"{totals.cached} from cache)",
        f"tokens {totals.usage.prompt_tokens:,} in / {totals.usage.completion_tokens:,} out",
        f"wall {wall:.1f} s",
        f"{rate:.2f} articles/s",
    ]
    if price is not None:
        parts.append(f"est. cost ${price.cost(totals.usage):.4f} ({price.origin})")
    else:
        parts.append("cost unknown (set --price-in/--price-out)")
    skipped = []
    if totals.already_done:
        skipped.append(f"{totals.already_done} already done")
    if totals.duplicates:
        skipped.append(f"{totals.duplicates} duplicate ids")
    if skipped:
        parts.append("skipped " + ", ".join(skipped))
    if totals.resent:
        parts.append(f"{totals.resent} sent again after a Ray worker died")
    return "batch: " + "; ".join(parts)
