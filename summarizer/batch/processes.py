"""Batch runs spread over several worker processes (``summarizer batch --workers N``).

One process spends a few milliseconds of CPU per article (building requests, parsing and
grounding replies), which caps it at roughly a hundred articles per second however fast the
server is. Against a fast server farm (vLLM) more processes go further. This is not a scheduler:
each worker runs the ordinary :class:`~summarizer.batch.runner.BatchRunner` with its share of
the concurrency and rate limits, and the parent stays the only writer of the results file, so
resuming, progress and the closing line work as with one process.

Articles are routed to workers by a hash of their text, so identical articles meet in the same
worker, which summarizes them once. Workers ignore Ctrl-C; the parent stops them, and what was
written stays written.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import multiprocessing
import os
import pickle
import queue
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.process import BaseProcess
from typing import Any

from summarizer.batch.items import BatchItem
from summarizer.batch.results import ResultsFile
from summarizer.batch.runner import BatchRunner, BatchTotals
from summarizer.errors import ConfigurationError, SummarizerError
from summarizer.schemas import BatchRecord, LanguageCode
from summarizer.settings import Settings

#: How long the parent waits for a record before it checks that its workers are alive.
POLL_S = 1.0
_DONE = "done"
_STOP = "stop"  # sent instead of an item: the worker exits
_FATAL = "fatal"
_RECORD = "record"


def share(settings: Settings, workers: int, worker: int) -> Settings:
    """``settings`` with worker number ``worker``'s share of the concurrency and rate limits."""
    total = settings.resolved_concurrency
    concurrency = total // workers + (1 if worker < total % workers else 0)

    def split(limit: float | None) -> float | None:
        return None if limit is None else limit / workers

    return settings.model_copy(
        update={
            "concurrency": concurrency,
            "requests_per_minute": split(settings.requests_per_minute),
            "tokens_per_minute": split(settings.tokens_per_minute),
        }
    )


class _QueueSink:
    """What a worker's :class:`BatchRunner` writes to: the parent, through a queue."""

    def __init__(self, records: Any) -> None:
        self._records = records

    def statuses(self) -> dict[str, str]:
        return {}  # the parent has already left out the finished articles

    def append(self, record: BatchRecord) -> None:
        self._records.put((_RECORD, record.model_dump_json()))


def _queued_items(items: Any, head: BatchItem) -> Iterator[BatchItem]:
    """One run's items: ``head``, then what arrives until the run's ``None``."""
    item: BatchItem | None = head
    while item is not None:
        yield item
        item = items.get()


def _worker(
    settings: Settings,
    output_language: LanguageCode | None,
    use_cache: bool,
    items: Any,
    records: Any,
) -> None:
    """A worker process: one batch run per stream of items ended by ``None``, until
    :data:`_STOP`; after each run it reports :data:`_DONE`."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    threading.Thread(target=_exit_with_parent, daemon=True).start()
    runner = BatchRunner(settings, output_language=output_language, use_cache=use_cache)
    sink = _QueueSink(records)
    try:
        while (head := items.get()) != _STOP:
            if head is not None:
                stream = _queued_items(items, head)
                try:
                    asyncio.run(runner.run(stream, sink, BatchTotals()))  # type: ignore[arg-type]
                except SummarizerError as exc:  # fatal for the whole run (bad key, ...)
                    records.put((_FATAL, _portable(exc)))
            records.put((_DONE, None))
    finally:
        runner.close()


def _exit_with_parent() -> None:
    """End this worker when the parent is gone (killed with SIGKILL: no chance to stop us)."""
    parent = multiprocessing.parent_process()
    if parent is not None:
        parent.join()
        os._exit(1)


def _portable(error: SummarizerError) -> bytes:
    """``error`` pickled, or its message as a plain :class:`SummarizerError` if it cannot be
    restored (its ``__init__`` needs more than the message)."""
    try:
        data = pickle.dumps(error)
        pickle.loads(data)
    except Exception:
        data = pickle.dumps(SummarizerError(str(error)))
    return data


class ProcessPoolRunner:
    """Like :class:`BatchRunner`, with the work spread over ``workers`` processes.

    The workers start with the first run and serve every later one until :meth:`close`.
    """

    def __init__(
        self,
        settings: Settings,
        workers: int,
        *,
        output_language: LanguageCode | None = None,
        use_cache: bool = True,
    ) -> None:
        if settings.resolved_provider != "openai":
            raise ConfigurationError(
                "--workers needs an endpoint (provider 'openai'): the embedded model runs one "
                "request at a time in one process"
            )
        if workers > settings.resolved_concurrency:
            raise ConfigurationError(
                f"--workers {workers} is more than --concurrency "
                f"{settings.resolved_concurrency}: each worker needs a request slot"
            )
        self.settings = settings
        self.workers = workers
        self.output_language = output_language
        self.use_cache = use_cache
        self._records: Any = None
        self._inboxes: list[Any] = []
        self._processes: list[BaseProcess] = []

    def _start(self) -> None:
        context = multiprocessing.get_context("spawn")  # no fork of a process with threads
        self._records = context.Queue()
        for worker in range(self.workers):
            settings = share(self.settings, self.workers, worker)
            inbox = context.Queue(maxsize=4 * settings.resolved_concurrency)
            process = context.Process(
                target=_worker,
                args=(settings, self.output_language, self.use_cache, inbox, self._records),
                name=f"summarizer-batch-{worker}",
                daemon=True,
            )
            process.start()
            self._inboxes.append(inbox)
            self._processes.append(process)

    def close(self) -> None:
        """Stop the workers (each closes its own cache and HTTP client)."""
        for inbox, process in zip(self._inboxes, self._processes, strict=True):
            if process.is_alive():
                with contextlib.suppress(queue.Full):  # busy or stuck: terminated below
                    inbox.put(_STOP, timeout=POLL_S)
        for inbox, process in zip(self._inboxes, self._processes, strict=True):
            process.join(timeout=10)
            if process.is_alive():
                process.terminate()
                process.join(timeout=10)
            inbox.cancel_join_thread()  # items no worker will read must not block our exit
        self._inboxes, self._processes = [], []

    async def run(
        self,
        items: Iterable[BatchItem],
        results: ResultsFile,
        totals: BatchTotals,
        on_record: Callable[[BatchRecord], None] | None = None,
    ) -> BatchTotals:
        """Process every item not finished yet; return the updated ``totals``."""
        if not self._processes:
            self._start()
        stop = threading.Event()
        feeding = asyncio.create_task(
            asyncio.to_thread(self._feed, items, results, totals, self._inboxes, stop)
        )
        try:
            await self._collect(results, totals, on_record)
            await feeding
        except BaseException:
            stop.set()
            for process in self._processes:  # mid-run: nothing worth waiting for
                process.terminate()
            self.close()
            raise
        return totals

    def _feed(
        self,
        items: Iterable[BatchItem],
        results: ResultsFile,
        totals: BatchTotals,
        inboxes: list[Any],
        stop: threading.Event,
    ) -> None:
        """Send each unfinished article to its worker (runs in a thread: inboxes block)."""

        def put(inbox: Any, item: BatchItem | None) -> None:
            while not stop.is_set():
                try:
                    return inbox.put(item, timeout=POLL_S)
                except queue.Full:
                    continue

        done = set(results.statuses())
        seen: set[str] = set()
        for item in items:
            if stop.is_set():
                return
            if item.id in seen:
                totals.duplicates += 1
            elif item.id in done:
                totals.already_done += 1
            else:
                digest = hashlib.blake2b(item.text.encode(), digest_size=8).digest()
                put(inboxes[int.from_bytes(digest) % len(inboxes)], item)
            seen.add(item.id)
        for inbox in inboxes:
            put(inbox, None)

    async def _collect(
        self,
        results: ResultsFile,
        totals: BatchTotals,
        on_record: Callable[[BatchRecord], None] | None,
    ) -> None:
        """Write the workers' records as they arrive, until every worker has finished."""
        running = len(self._processes)
        while running:
            try:
                kind, payload = await asyncio.to_thread(self._records.get, timeout=POLL_S)
            except queue.Empty:
                dead = [p for p in self._processes if p.exitcode is not None]
                if dead:
                    raise SummarizerError(
                        f"batch worker {dead[0].name} died (exit code {dead[0].exitcode}); "
                        "the finished articles are saved: rerun the command to go on"
                    ) from None
                continue
            if kind == _RECORD:
                record = BatchRecord.model_validate_json(payload)
                results.append(record)
                totals.count(record)
                if on_record is not None:
                    on_record(record)
            elif kind == _FATAL:
                raise pickle.loads(payload)  # pickled by our own worker
            else:
                running -= 1
