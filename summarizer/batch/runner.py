"""Run many articles through one :class:`~summarizer.pipeline.Summarizer`.

A fixed pool of workers (as many as requests may be in flight; one for the in-process model)
pulls articles from the source, so memory stays flat for any input size. Each finished article
is written at once; one that fails becomes an error record and the run goes on. Errors that
would fail every article (rejected credentials, unknown model, bad settings, a mode the server
rejects, a server that is gone) stop the run instead, leaving the unfinished articles for the
rerun.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from summarizer.batch.collector import fewer_collections
from summarizer.batch.items import BatchItem
from summarizer.batch.limits import RequestLimits
from summarizer.batch.results import ResultsFile
from summarizer.cache import ResultCache, summary_key
from summarizer.datamodel.errors import (
    AuthenticationError,
    ConfigurationError,
    EndpointError,
    RequestRejectedError,
    SummarizerError,
    UnreachableError,
)
from summarizer.datamodel.request import ArticleRequest
from summarizer.datamodel.schemas import (
    ArticleSummary,
    BatchRecord,
    RecordError,
    RunMetadata,
    TokenUsage,
)
from summarizer.datamodel.settings import Settings
from summarizer.datamodel.types import Language
from summarizer.pipeline import Summarizer
from summarizer.pipeline.metering import metering
from summarizer.prompts import prompt_version
from summarizer.providers import make_backend


@dataclass
class BatchTotals:
    """What a run did, for the progress bar and the closing line."""

    total: int | None = None  # articles in the input, when known up front
    ok: int = 0
    failed: int = 0
    cached: int = 0
    already_done: int = 0  # skipped: finished by an earlier run into the same output
    duplicates: int = 0  # skipped: an id seen earlier in this input
    resent: int = 0  # articles sent again because the worker running them died (--ray)
    usage: TokenUsage = field(default_factory=TokenUsage)
    started: float = field(default_factory=time.perf_counter)

    @property
    def processed(self) -> int:
        return self.ok + self.failed

    @property
    def wall_s(self) -> float:
        return time.perf_counter() - self.started

    def count(self, record: BatchRecord) -> None:
        if record.status == "ok":
            self.ok += 1
        else:
            self.failed += 1
        if record.cached:
            self.cached += 1
        elif record.metadata is not None:
            self.usage = self.usage + record.metadata.usage


def is_fatal(error: SummarizerError) -> bool:
    """Errors that every other article would hit too: rejected credentials, bad settings, an
    endpoint that is gone (down, or died mid-run), a mode or schema it rejects."""
    if isinstance(error, AuthenticationError | ConfigurationError | UnreachableError):
        return True
    if isinstance(error, RequestRejectedError):
        return not error.this_article
    return isinstance(error, EndpointError) and error.status_code in (400, 404)


class BatchRunner:
    """Summarizes a stream of :class:`BatchItem` into a :class:`ResultsFile`."""

    def __init__(
        self,
        settings: Settings,
        *,
        output_language: Language | None = None,
        use_cache: bool = True,
    ) -> None:
        backend = make_backend(settings, batch=True)
        self.gate = RequestLimits.from_settings(settings, backend.concurrent)
        self.summarizer = Summarizer(settings, backend, self.gate)
        self.output_language = output_language
        self.cache = ResultCache(settings.resolved_cache_dir / "results") if use_cache else None
        self._in_flight: dict[str, asyncio.Future[ArticleSummary | None]] = {}
        #: Articles in progress at once (requests in flight; one for the in-process model).
        self.workers = self.gate.concurrency

    def close(self) -> None:
        if self.cache is not None:
            self.cache.close()

    async def run(
        self,
        items: Iterable[BatchItem],
        results: ResultsFile,
        totals: BatchTotals,
        on_record: Callable[[BatchRecord], None] | None = None,
    ) -> BatchTotals:
        """Process every item not finished yet; return the updated ``totals``."""
        done = set(results.statuses())
        workers = self.workers
        queue: asyncio.Queue[BatchItem | None] = asyncio.Queue(maxsize=2 * workers)

        async def produce() -> None:
            seen: set[str] = set()
            iterator: Iterator[BatchItem] = iter(items)
            # Reading may block (stdin): read in a thread so in-flight requests keep going.
            while (item := await asyncio.to_thread(next, iterator, None)) is not None:
                if item.id in seen:
                    totals.duplicates += 1
                elif item.id in done:
                    totals.already_done += 1
                else:
                    await queue.put(item)
                seen.add(item.id)
            for _ in range(workers):
                await queue.put(None)

        async def work() -> None:
            while (item := await queue.get()) is not None:
                record = await self.process(item)
                results.append(record)
                totals.count(record)
                if on_record is not None:
                    on_record(record)

        try:
            with fewer_collections():
                async with asyncio.TaskGroup() as group:
                    group.create_task(produce())
                    for _ in range(workers):
                        group.create_task(work())
        except ExceptionGroup as failed:
            raise failed.exceptions[0] from None  # the first fatal error, as it was raised
        finally:
            close = getattr(self.summarizer.backend, "aclose", None)
            if close is not None:
                await close()
        return totals

    async def process(self, item: BatchItem) -> BatchRecord:
        """The record of one article: from the cache, from the model, or its error."""
        started = time.perf_counter()
        base = {"id": item.id, "title": item.title, "date": item.date}
        try:
            request = item.request(self.output_language)
        except SummarizerError as exc:
            return self._error_record(base, exc, started)
        summarizer = self.summarizer
        key = summary_key(summarizer.backend, summarizer.settings, summarizer.policy, request)
        cached = self.cache.get(key) if self.cache is not None else None
        if cached is None and key in self._in_flight:
            # The same article (another id) is being summarized right now: share its result.
            cached = await asyncio.shield(self._in_flight[key])
        if cached is not None:
            return BatchRecord(
                **base, status="ok", cached=True, summary=cached, metadata=cached.metadata
            )
        shared: asyncio.Future[ArticleSummary | None] = asyncio.get_running_loop().create_future()
        self._in_flight[key] = shared
        summary: ArticleSummary | None = None
        try:
            record = await self.summarized(item, request, base, started)
            summary = record.summary
        finally:
            del self._in_flight[key]
            shared.set_result(summary)  # None: the waiters make their own call
        if self.cache is not None and summary is not None:
            self.cache.put(key, summary)
        return record

    async def summarized(
        self,
        item: BatchItem,
        request: ArticleRequest,
        base: dict[str, str | None],
        started: float,
    ) -> BatchRecord:
        """The record of an article not in the cache: summarized here, or its error (a fatal
        one raised). A runner that executes articles elsewhere overrides this."""
        try:
            with metering() as meter:
                summary = await self.summarizer.asummarize(request)
        except SummarizerError as exc:
            if is_fatal(exc):
                raise
            return self._error_record(base, exc, started, meter.usage)
        return BatchRecord(**base, status="ok", summary=summary, metadata=summary.metadata)

    def _error_record(
        self,
        base: dict[str, str | None],
        error: SummarizerError,
        started: float,
        spent: TokenUsage | None = None,
    ) -> BatchRecord:
        """An error record; ``spent``: tokens of the replies received before it failed."""
        backend = self.summarizer.backend
        metadata = RunMetadata(
            provider=backend.name,
            model=backend.model,
            mode=backend.mode_name,
            prompt_version=prompt_version(),
            usage=spent or TokenUsage(),
            latency_s=round(time.perf_counter() - started, 3),
        )
        return BatchRecord(
            **base,  # type: ignore[arg-type]
            status="error",
            error=RecordError(type=type(error).__name__, message=str(error)),
            metadata=metadata,
        )
