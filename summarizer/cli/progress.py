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


class Waiting:
    """While a remote reply is awaited: after ``after_s`` seconds, one stderr line that says
    what is being waited for and for how long, updated every ``every_s`` seconds (a terminal
    user sees the command is alive); cleared when closed."""

    def __init__(
        self, what: str, stream: TextIO = sys.stderr, *, after_s: float = 1.0, every_s: float = 0.5
    ) -> None:
        import threading

        self._what, self._stream = what, stream
        self._after_s, self._every_s = after_s, every_s
        self._done = threading.Event()
        self._width = 0
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        import time

        started = time.monotonic()
        if self._done.wait(self._after_s):
            return
        while not self._done.is_set():
            line = f"{self._what} ... {time.monotonic() - started:.0f} s"
            self._stream.write("\r" + line.ljust(self._width))
            self._stream.flush()
            self._width = len(line)
            self._done.wait(self._every_s)

    def close(self) -> None:
        self._done.set()
        self._thread.join()
        if self._width:
            self._stream.write("\r" + " " * self._width + "\r")
            self._stream.flush()
