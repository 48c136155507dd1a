"""What the in-process model is doing, shown on one terminal line while it works."""

from __future__ import annotations

import sys
from typing import TextIO

from summarizer.providers.decoding import DecodeStep

#: The replies by response model, as a user knows them.
REPLIES = {"SummaryDraft": "summary", "EventList": "events", "CombinedSummary": "combined summary"}


class TerminalProgress:
    """Rewrites one stderr line: the reply being written, the phase, tokens and tokens/s."""

    def __init__(self, stream: TextIO = sys.stderr) -> None:
        self._stream = stream
        self._width = 0

    def __call__(self, progress: DecodeStep) -> None:
        reply = REPLIES.get(progress.label, progress.label)
        if progress.phase == "prefill":
            line = f"{reply}: reading the prompt ({progress.tokens:,} tokens)"
        else:
            rate = progress.tokens / progress.elapsed_s if progress.elapsed_s else 0.0
            line = f"{reply}: writing, {progress.tokens:,} tokens, {rate:.1f} tokens/s"
        self._stream.write("\r" + line.ljust(self._width))
        self._stream.flush()
        self._width = len(line)

    def close(self) -> None:
        """Clear the line (the result or an error follows on a clean one)."""
        if self._width:
            self._stream.write("\r" + " " * self._width + "\r")
            self._stream.flush()
            self._width = 0
