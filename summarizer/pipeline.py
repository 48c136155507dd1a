"""The summarization pipeline: text -> prompts -> instructor call(s) -> grounded result.

:class:`Summarizer` holds the settings and the provider backend, so repeated calls reuse the
client (and, for the local provider, the loaded model). The module-level functions in
:mod:`summarizer` build one per call.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import time
from collections.abc import Coroutine
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel

from summarizer.chunking import Chunk, split_into_chunks
from summarizer.constrain import constrained_models
from summarizer.errors import GroundingError, ModelOutputError
from summarizer.language import article_language
from summarizer.merge import merge_parts, partial_summaries
from summarizer.metering import record_usage
from summarizer.prepared import check_async_validators_once, prepared
from summarizer.prompts import (
    RESPONSE_MODELS,
    TASKS,
    UNPUBLISHED,
    Published,
    Task,
    prompt_version,
    render_messages,
)
from summarizer.providers import Backend, DirectBackend, make_backend
from summarizer.providers.base import instructor_mode
from summarizer.schemas import (
    ArticleSummary,
    EventRecord,
    LanguageCode,
    RunMetadata,
    TokenUsage,
)
from summarizer.settings import Settings
from summarizer.transport import TransportStats, endpoint_error, with_transport_retries
from summarizer.verify import GroundingRun, grounding

if TYPE_CHECKING:
    from summarizer.batch.limits import RequestGate

T = TypeVar("T")


@dataclass
class CallReport:
    """Bookkeeping of one structured call (all its attempts)."""

    usage: TokenUsage = field(default_factory=TokenUsage)
    replies: int = 0
    transport_retries: int = 0
    warnings: list[str] = field(default_factory=list)
    expected_tool: str | None = None  # the response model's name, which tool calls must use

    def merge(self, other: CallReport) -> CallReport:
        return CallReport(
            usage=self.usage + other.usage,
            replies=self.replies + other.replies,
            transport_retries=self.transport_retries + other.transport_retries,
            warnings=self.warnings + other.warnings,
        )

    def on_reply(self, response: Any, *_: Any, **__: Any) -> None:
        for choice in getattr(response, "choices", None) or []:
            for call in getattr(choice.message, "tool_calls", None) or []:
                name = call.function.name
                if self.expected_tool and name != self.expected_tool:
                    self.warnings.append(
                        f"the model called tool {name!r} instead of {self.expected_tool!r}; "
                        "its arguments were validated and grounded as the latter"
                    )
        usage = getattr(response, "usage", None)
        if usage is not None:
            spent = TokenUsage(
                prompt_tokens=usage.prompt_tokens or 0,
                completion_tokens=usage.completion_tokens or 0,
            )
            self.usage = self.usage + spent
            record_usage(spent)


def call_inputs(
    task: Task,
    article: str,
    language: LanguageCode,
    output_language: LanguageCode,
    *,
    constrain: bool,
    published: Published = UNPUBLISHED,
) -> tuple[list[dict[str, str]], type[BaseModel]]:
    """The messages and the response model of one task's call."""
    messages = render_messages(
        task,
        article,
        article_language=language,
        output_language=output_language,
        published=published,
    )
    if constrain and task in TASKS:
        return messages, constrained_models(article)[task]
    return messages, prepared(RESPONSE_MODELS[task])


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
        self.gate = gate  # batch runs: shared concurrency and rate limits

    async def _structured_call(
        self,
        task: Task,
        article: str,
        language: LanguageCode,
        output_language: LanguageCode,
        published: Published,
    ) -> tuple[BaseModel, CallReport]:
        import instructor
        import openai
        from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException

        settings = self.settings
        assert not isinstance(self.backend, DirectBackend)
        run = GroundingRun(max_attempts=settings.resolved_max_reasks + 1, strict=settings.strict)
        report = CallReport()
        stats = TransportStats()
        hooks = instructor.hooks.Hooks()
        hooks.on("completion:response", run.on_reply)
        hooks.on("completion:response", report.on_reply)
        raw_create = self.backend.raw_create()
        if self.gate is not None:
            raw_create = self.gate.wrap(raw_create)
        check_async_validators_once()
        create = instructor.patch(
            create=with_transport_retries(raw_create, settings, stats),
            mode=instructor_mode(self.backend.mode_name),
        )
        messages, response_model = call_inputs(
            task,
            article,
            language,
            output_language,
            constrain=settings.resolved_constrain,
            published=published,
        )
        report.expected_tool = response_model.__name__
        context = {
            "article": article,
            "run": run,
            "language": language,
            "output_language": output_language,
            "published": published.text,
        }
        try:
            with grounding(context):
                result = await create(
                    response_model=response_model,
                    messages=messages,
                    model=self.backend.model,
                    max_retries=settings.resolved_max_reasks,
                    strict=False,
                    hooks=hooks,
                    temperature=settings.temperature,
                    max_tokens=settings.max_tokens,
                )
        except InstructorRetryException as exc:
            cause = _api_cause(exc)
            if cause is not None:
                raise endpoint_error(cause, settings) from None
            if run.strict and run.problems:
                raise GroundingError(
                    f"{task}: ungrounded content after {run.attempts} replies:\n"
                    + "\n".join(f"- {p}" for p in run.problems),
                    problems=run.problems,
                ) from None
            raise ModelOutputError(
                f"{task}: the model's reply did not fit the schema after {run.attempts} "
                f"replies: {_first_line(exc)}"
            ) from None
        except IncompleteOutputException:
            raise ModelOutputError(
                f"{task}: the model's reply was cut off at the token limit "
                f"(max_tokens={settings.max_tokens}); raise max_tokens or use a stronger model"
            ) from None
        except openai.OpenAIError as exc:
            raise endpoint_error(exc, settings) from None
        report.replies = run.attempts
        report.transport_retries = stats.retries
        report.warnings = [f"{task}: {w}" for w in [*report.warnings, *run.warnings]]
        return result, report

    async def _run_tasks(
        self,
        tasks: tuple[Task, ...],
        text: str,
        language: LanguageCode,
        output_language: LanguageCode,
        published: Published,
    ) -> list[tuple[BaseModel, CallReport]]:
        def call(task: Task) -> Coroutine[Any, Any, tuple[BaseModel, CallReport]]:
            return self._structured_call(task, text, language, output_language, published)

        if self.backend.concurrent:
            return list(await asyncio.gather(*(call(t) for t in tasks)))
        # One at a time; each coroutine is created only when it runs, so an error in the first
        # leaves no un-awaited coroutine behind.
        return [await call(t) for t in tasks]

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
            warnings=report.warnings,
        )

    async def asummarize(
        self,
        text: str,
        *,
        output_language: LanguageCode | None = None,
        language: LanguageCode | None = None,
        title: str | None = None,
        date: str | None = None,
    ) -> ArticleSummary:
        """Summarize ``text``; see :func:`summarizer.summarize`."""
        from summarizer.inputs import check_article

        check_article(text)
        started = time.perf_counter()
        version = prompt_version()  # read before the calls: the templates they use
        lang = article_language(text, language)
        out_lang = output_language or lang
        if isinstance(self.backend, DirectBackend):
            direct = self.backend.build_summary(text, lang, out_lang)
            direct.metadata = self._metadata(CallReport(), started, 0, version)
            return direct
        published = Published.of(title, date)
        chunks = split_into_chunks(text, self.settings.resolved_chunk_chars)
        if len(chunks) > 1:
            return await self._summarize_long(chunks, lang, out_lang, published, started, version)
        (draft, draft_report), (events, events_report) = await self._run_tasks(
            ("summary", "events"), text, lang, out_lang, published
        )
        report = draft_report.merge(events_report)
        # Built from plain dicts, so per-article (constrained) model classes never leak out.
        return ArticleSummary(
            language=lang,
            output_language=out_lang,
            **draft.model_dump(),
            events=events.model_dump()["events"],
            metadata=self._metadata(report, started, 2, version),
        )

    async def _summarize_long(
        self,
        chunks: list[Chunk],
        language: LanguageCode,
        output_language: LanguageCode,
        published: Published,
        started: float,
        version: str,
    ) -> ArticleSummary:
        """Summarize each part, merge the parts, and combine their summaries into one."""

        async def part(chunk: Chunk) -> list[tuple[BaseModel, CallReport]]:
            return await self._run_tasks(TASKS, chunk.text, language, output_language, published)

        if self.backend.concurrent:
            results = list(await asyncio.gather(*(part(c) for c in chunks)))
        else:
            results = [await part(c) for c in chunks]
        parts, report = [], CallReport()
        for number, (chunk, [(draft, draft_report), (events, events_report)]) in enumerate(
            zip(chunks, results, strict=True), start=1
        ):
            parts.append((chunk, draft.model_dump(), events.model_dump()["events"]))
            for warning in [*draft_report.warnings, *events_report.warnings]:
                report.warnings.append(f"part {number}/{len(chunks)}: {warning}")
            report = report.merge(replace(draft_report.merge(events_report), warnings=[]))
        combined, combine_report = await self._structured_call(
            "combine", partial_summaries(parts), language, output_language, published
        )
        report = report.merge(combine_report)
        return ArticleSummary(
            language=language,
            output_language=output_language,
            headline=combined.headline,  # type: ignore[attr-defined]
            summary=combined.summary,  # type: ignore[attr-defined]
            **merge_parts(parts),
            metadata=self._metadata(report, started, 2 * len(chunks) + 1, version),
        )

    def summarize(
        self,
        text: str,
        *,
        output_language: LanguageCode | None = None,
        language: LanguageCode | None = None,
        title: str | None = None,
        date: str | None = None,
    ) -> ArticleSummary:
        """Blocking twin of :meth:`asummarize`."""
        return run_sync(
            self.asummarize(
                text, output_language=output_language, language=language, title=title, date=date
            )
        )

    async def aextract_events(
        self,
        text: str,
        *,
        output_language: LanguageCode | None = None,
        language: LanguageCode | None = None,
        title: str | None = None,
        date: str | None = None,
    ) -> list[EventRecord]:
        """Extract the events of ``text``; see :func:`summarizer.extract_events`."""
        from summarizer.inputs import check_article

        check_article(text)
        lang = article_language(text, language)
        if isinstance(self.backend, DirectBackend):
            return self.backend.build_summary(text, lang, output_language or lang).events
        [(events, _report)] = await self._run_tasks(
            ("events",), text, lang, output_language or lang, Published.of(title, date)
        )
        return [EventRecord.model_validate(e) for e in events.model_dump()["events"]]


def _api_cause(exc: BaseException) -> Any:
    import openai

    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, openai.OpenAIError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:300] if text else type(exc).__name__
