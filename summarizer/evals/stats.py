"""Confidence intervals over articles: how far a mean, or a difference between two runs, can be
trusted on a handful of articles.

Both are bootstrap intervals from scipy (``scipy.stats.bootstrap``: resampling the articles
with replacement, percentile method, :data:`RESAMPLES` resamples, a fixed seed so reports are
reproducible). A difference between runs is paired: the same article in both runs, resampled
together, so an article that is hard for every system does not widen the interval.
"""

from __future__ import annotations

from collections.abc import Sequence

CONFIDENCE = 0.95
RESAMPLES = 2000
SEED = 20181


def _interval(values: Sequence[float]) -> tuple[float, float] | None:
    if not values:
        return None
    if len(set(values)) == 1:  # no spread to resample (also the one-article case)
        return float(values[0]), float(values[0])
    import numpy as np
    from scipy.stats import bootstrap

    result = bootstrap(
        (np.asarray(values, dtype=float),),
        np.mean,
        confidence_level=CONFIDENCE,
        n_resamples=RESAMPLES,
        method="percentile",
        random_state=np.random.default_rng(SEED),
    )
    low, high = result.confidence_interval
    return round(float(low), 4), round(float(high), 4)


def mean_interval(values: Sequence[float]) -> tuple[float, float] | None:
    """95 % interval of the mean of ``values`` (one per article); None without values."""
    return _interval(values)


def paired_difference(
    before: Sequence[float], after: Sequence[float]
) -> tuple[float, tuple[float, float]] | None:
    """Mean of ``after - before`` over paired articles and its 95 % paired-bootstrap interval;
    None without pairs."""
    differences = [b - a for a, b in zip(before, after, strict=True)]
    if not differences:
        return None
    interval = _interval(differences)
    assert interval is not None
    return round(sum(differences) / len(differences), 4), interval
