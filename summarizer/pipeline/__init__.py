"""The pipeline: one article request through its structured calls to a grounded summary.

* :mod:`~summarizer.pipeline.summarizer` - :class:`Summarizer`: the calls of an article, long
  articles in parts;
* :mod:`~summarizer.pipeline.calls` - one structured call (prompts, instructor, retries,
  re-asks, grounding);
* :mod:`~summarizer.pipeline.chunking` and :mod:`~summarizer.pipeline.merge` - long articles;
* :mod:`~summarizer.pipeline.metering` - tokens spent, failed calls included.
"""

from summarizer.pipeline.summarizer import Summarizer, run_sync

__all__ = ["Summarizer", "run_sync"]
