"""The summarization pipeline: request -> calls (summary, events) -> grounded result; long
articles in parts, merged and combined.

:class:`Summarizer` holds the settings, the provider backend and its policy, so repeated calls
reuse the client (and, for the local provider, the loaded model). It takes one
:class:`~summarizer.datamodel.request.ArticleRequest` per article; the module-level functions in
:mod:`summarizer` build the request and a summarizer per call.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import time
from collections.abc import Coroutine
from dataclasses import replace
from typing import Any, TypeVar

from pydantic import BaseModel

from summarizer.datamodel.issues import GroundingIssue, IssueAction, IssueKind
from summarizer.datamodel.request import ArticleRequest
from summarizer.datamodel.schemas import ArticleSummary, EventRecord, RunMetadata, SentenceSupport
from summarizer.datamodel.settings import Settings
from summarizer.datamodel.types import TASKS, Task
from summarizer.grounding.casualties import with_claims
from summarizer.grounding.quality import live_blog
from summarizer.grounding.support import summary_support
from summarizer.pipeline.calls import CallReport, structured_call
from summarizer.pipeline.chunking import Chunk, split_into_chunks
from summarizer.pipeline.guided import guided_summary, names_with
from summarizer.pipeline.merge import merge_events, merge_parts, partial_summaries
from summarizer.prompts import prompt_version
from summarizer.providers import (
    Backend,
    DirectBackend,
    ProviderPolicy,
    make_backend,
    policy_in_force,
)
from summarizer.text.lexicon import article_names
from summarizer.transport import RequestGate

T = TypeVar("T")


def run_sync(coro: Coroutine[Any, Any, T]) -> T:
    """Run ``coro`` to completion from sync code, also when an event loop is already running."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


class Summarizer:
    """Summarize articles with one configured provider."""

    def __init__(
        self,
        settings: Settings,
        backend: Backend | DirectBackend | None = None,
        gate: RequestGate | None = None,
    ) -> None:
        self.settings = settings
        self.backend = backend or make_backend(settings)
        self._policy: ProviderPolicy | None = None
        self.gate = gate  # batch runs: shared concurrency and rate limits

    @property
    def policy(self) -> ProviderPolicy:
        """The policy in force, resolved on first use (a server is probed then, not when the
        summarizer is built)."""
        if self._policy is None:
            self._policy = policy_in_force(self.settings, self.backend)
        return self._policy

    async def _call(self, task: Task, request: ArticleRequest) -> tuple[BaseModel, CallReport]:
        assert not isinstance(self.backend, DirectBackend)
        return await structured_call(
            task, request, self.backend, self.settings, self.policy, self.gate
        )

    async def _run_tasks(
        self, tasks: tuple[Task, ...], request: ArticleRequest
    ) -> list[tuple[BaseModel, CallReport]]:
        if self.backend.concurrent:
            return list(await asyncio.gather(*(self._call(t, request) for t in tasks)))
        # One at a time; each coroutine is created only when it runs, so an error in the first
        # leaves no un-awaited coroutine behind.
        return [await self._call(t, request) for t in tasks]

    def _metadata(
        self, report: CallReport, started: float, calls: int, version: str
    ) -> RunMetadata:
        return RunMetadata(
            provider=self.backend.name,
            model=self.backend.model,
            mode=self.backend.mode_name,
            prompt_version=version,
            usage=report.usage,
            latency_s=round(time.perf_counter() - started, 3),
            llm_calls=report.replies,
            reasks=max(report.replies - calls, 0),
            transport_retries=report.transport_retries,
            issues=report.issues,
        )

    async def asummarize(self, request: ArticleRequest) -> ArticleSummary:
        """Summarize the article of ``request``; see :func:`summarizer.summarize`."""
        _require_request(request)
        summary = await self._summarize(request)
        summary.summary_support = support_of(summary, request)
        names = article_names(request.text, request.language)
        with_claims(summary.events, request.text, request.language, names)
        entries = live_blog(request.text, request.published.title)
        if entries is not None and summary.metadata is not None:
            summary.metadata.issues.append(
                GroundingIssue(
                    kind=IssueKind.many_stories,
                    action=IssueAction.flagged,
                    detail=f"the input reads as a live blog or news ticker ({entries} "
                    "time-stamped entries): the summary covers several stories, not one",
                )
            )
        return summary

    async def _summarize(self, request: ArticleRequest) -> ArticleSummary:
        started = time.perf_counter()
        version = prompt_version()  # read before the calls: the templates they use
        if isinstance(self.backend, DirectBackend):
            direct = self.backend.build_summary(request)
            direct.metadata = self._metadata(CallReport(), started, 0, version)
            return direct
        chunks = split_into_chunks(request.text, self.policy.chunk_chars)
        if len(chunks) > 1:
            return await self._summarize_long(request, chunks, started, version)
        if self.policy.guided and self.policy.constrain:
            fields, report = await guided_summary(
                request, self.backend, self.settings, self.policy, self.gate
            )
            return ArticleSummary(
                language=request.language,
                output_language=request.output_language,
                **fields,
                metadata=self._metadata(report, started, 2, version),
            )
        (draft, draft_report), (events, events_report) = await self._run_tasks(TASKS, request)
        report = draft_report.merge(events_report)
        # Built from plain dicts, so per-article (constrained) model classes never leak out.
        return ArticleSummary(
            language=request.language,
            output_language=request.output_language,
            **draft.model_dump(warnings=False),
            events=events.model_dump(warnings=False)["events"],
            metadata=self._metadata(report, started, 2, version),
        )

    async def _summarize_long(
        self, request: ArticleRequest, chunks: list[Chunk], started: float, version: str
    ) -> ArticleSummary:
        """Summarize each part, merge the parts, and combine their summaries into one."""

        async def part(chunk: Chunk) -> list[tuple[BaseModel, CallReport]]:
            return await self._run_tasks(TASKS, request.with_text(chunk.text))

        if self.backend.concurrent:
            results = list(await asyncio.gather(*(part(c) for c in chunks)))
        else:
            results = [await part(c) for c in chunks]
        parts, report = [], CallReport()
        for number, (chunk, [(draft, draft_report), (events, events_report)]) in enumerate(
            zip(chunks, results, strict=True), start=1
        ):
            parts.append(
                (
                    chunk,
                    draft.model_dump(warnings=False),
                    events.model_dump(warnings=False)["events"],
                )
            )
            part_report = draft_report.merge(events_report)
            report = report.merge(replace(part_report, issues=[]))
            report.issues += [
                issue.model_copy(update={"part": number, "parts": len(chunks)})
                for issue in part_report.issues
            ]
        combined, combine_report = await self._call(
            "combine", request.with_text(partial_summaries(parts))
        )
        report = report.merge(combine_report)
        return ArticleSummary(
            language=request.language,
            output_language=request.output_language,
            headline=combined.headline,  # type: ignore[attr-defined]
            summary=combined.summary,  # type: ignore[attr-defined]
            **merge_parts(parts),
            metadata=self._metadata(report, started, 2 * len(chunks) + 1, version),
        )

    def summarize(self, request: ArticleRequest) -> ArticleSummary:
        """Blocking twin of :meth:`asummarize`."""
        return run_sync(self.asummarize(request))

    async def aextract_events(self, request: ArticleRequest) -> list[EventRecord]:
        """The grounded events of ``request``'s article (the events call alone, or under a
        guided policy the guided pipeline's events; a long article in the same parts as
        :meth:`asummarize`, its events merged the same way); see
        :func:`summarizer.extract_events`."""
        _require_request(request)
        if isinstance(self.backend, DirectBackend):
            return self.backend.build_summary(request).events
        chunks = split_into_chunks(request.text, self.policy.chunk_chars)
        if len(chunks) == 1 and self.policy.guided and self.policy.constrain:
            fields, _report = await guided_summary(
                request, self.backend, self.settings, self.policy, self.gate
            )
            return [EventRecord.model_validate(e) for e in fields["events"]]
        if len(chunks) > 1:
            parts = []
            for chunk in chunks:
                [(events, _report)] = await self._run_tasks(
                    ("events",), request.with_text(chunk.text)
                )
                parts.append((chunk, events.model_dump(warnings=False)["events"]))
            found = merge_events(parts)
        else:
            [(events, _report)] = await self._run_tasks(("events",), request)
            found = events.model_dump(warnings=False)["events"]
        records = [EventRecord.model_validate(e) for e in found]
        names = article_names(request.text, request.language)
        with_claims(records, request.text, request.language, names)
        return records

    def extract_events(self, request: ArticleRequest) -> list[EventRecord]:
        """Blocking twin of :meth:`aextract_events`."""
        return run_sync(self.aextract_events(request))


def _require_request(request: object) -> None:
    if not isinstance(request, ArticleRequest):
        raise TypeError(
            f"Summarizer takes an ArticleRequest, not {type(request).__name__}: build one with "
            "summarizer.inputs.article_request(text, ...), or call summarizer.summarize(text)"
        )


def support_of(summary: ArticleSummary, request: ArticleRequest) -> list[SentenceSupport]:
    """Each summary sentence of ``summary`` aligned to the article sentences supporting it."""
    listed = [e.name for e in summary.entities] + [s.name for s in summary.sources]
    names = names_with(request, listed)
    return summary_support(
        summary.summary,
        request.text,
        language=request.output_language,
        article_language=request.language,
        names=names,
    )
