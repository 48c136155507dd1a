"""One structured call: prompts and response model for a task, instructor over the backend with
transport retries and grounding re-asks, and the bookkeeping of all its replies."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from summarizer.constrained.drafts import entities_only
from summarizer.constrained.models import constrained_models
from summarizer.datamodel.errors import GroundingError, ModelOutputError
from summarizer.datamodel.issues import GroundingIssue, IssueAction, IssueKind
from summarizer.datamodel.request import ArticleRequest
from summarizer.datamodel.schemas import TokenUsage
from summarizer.datamodel.settings import Settings
from summarizer.datamodel.types import TASKS, Task
from summarizer.grounding.context import GroundingContext, GroundingRun, grounding
from summarizer.grounding.responses import RESPONSE_MODELS
from summarizer.instructor_patches import check_async_validators_once, prepared
from summarizer.pipeline.metering import record_usage
from summarizer.prompts import render_messages, template_lines
from summarizer.providers.base import Backend
from summarizer.providers.policy import ProviderPolicy
from summarizer.transport import RequestGate, TransportStats, endpoint_error, with_transport_retries


@dataclass
class CallReport:
    """Bookkeeping of one structured call (all its attempts), or of several merged."""

    usage: TokenUsage = field(default_factory=TokenUsage)
    replies: int = 0
    transport_retries: int = 0
    issues: list[GroundingIssue] = field(default_factory=list)
    expected_tool: str | None = None  # the response model's name, which tool calls must use

    def merge(self, other: CallReport) -> CallReport:
        return CallReport(
            usage=self.usage + other.usage,
            replies=self.replies + other.replies,
            transport_retries=self.transport_retries + other.transport_retries,
            issues=self.issues + other.issues,
        )

    def on_reply(self, response: Any, *_: Any, **__: Any) -> None:
        for choice in getattr(response, "choices", None) or []:
            for call in getattr(choice.message, "tool_calls", None) or []:
                name = call.function.name
                if self.expected_tool and name != self.expected_tool:
                    self.issues.append(
                        GroundingIssue(
                            kind=IssueKind.wrong_tool,
                            action=IssueAction.flagged,
                            text=name,
                            detail=f"the model called tool {name!r} instead of "
                            f"{self.expected_tool!r}; its arguments were validated and "
                            "grounded as the latter",
                        )
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
    request: ArticleRequest,
    *,
    constrain: bool,
    extractive: bool = False,
    ids: bool = False,
    guided: bool = False,
) -> tuple[list[dict[str, str]], type[BaseModel]]:
    """The messages and the response model of one task's call (``ids``: with constrained
    schemas, evidence and quotes named by id; ``guided``: the draft of the guided pipeline)."""
    if constrain and task in TASKS:
        translate = request.output_language != request.language
        models = constrained_models(request.text, request.language, extractive, ids, translate)
        model = entities_only(models[task]) if guided and task == "summary" else models[task]
        return render_messages(task, request, numbered=ids), model
    return render_messages(task, request), prepared(RESPONSE_MODELS[task])


def policy_inputs(
    task: Task, request: ArticleRequest, policy: ProviderPolicy, settings: Settings
) -> tuple[list[dict[str, str]], type[BaseModel]]:
    """:func:`call_inputs` as the provider's ``policy`` and ``settings`` choose them (live calls
    and Batch API files alike)."""
    return call_inputs(
        task,
        request,
        constrain=policy.constrain,
        extractive=policy.extractive_for(settings, request.language, request.output_language),
        ids=settings.sentence_ids,
        guided=policy.guided and policy.constrain,
    )


def request_context(
    request: ArticleRequest,
    run: GroundingRun,
    reask_kinds: frozenset[IssueKind] | None = None,
) -> GroundingContext:
    """What the checks of a reply about ``request``'s article are grounded in."""
    return GroundingContext(
        article=request.text,
        run=run,
        language=request.language,
        output_language=request.output_language,
        published=request.published.text,
        template_sentences=tuple(template_lines()),
        reask_kinds=reask_kinds,
    )


async def structured_call(
    task: Task,
    request: ArticleRequest,
    backend: Backend,
    settings: Settings,
    policy: ProviderPolicy,
    gate: RequestGate | None = None,
) -> tuple[BaseModel, CallReport]:
    """Ask ``backend`` for ``task``'s response model on ``request``: validated, grounded in
    ``request.text``, re-asked up to ``policy.max_reasks`` times; typed errors otherwise."""
    run = GroundingRun(max_attempts=policy.max_reasks + 1, strict=settings.strict, task=task)
    messages, response_model = policy_inputs(task, request, policy, settings)
    context = request_context(request, run, policy.reask_kinds)
    with grounding(context):
        result, report = await instructor_call(
            task, messages, response_model, backend, settings, policy.max_reasks, run, gate
        )
    report.issues = [issue.model_copy(update={"task": task}) for issue in report.issues]
    report.issues += run.issues
    return result, report


async def instructor_call(
    label: str,
    messages: list[dict[str, str]],
    response_model: type[BaseModel],
    backend: Backend,
    settings: Settings,
    max_reasks: int,
    run: GroundingRun | None = None,
    gate: RequestGate | None = None,
) -> tuple[BaseModel, CallReport]:
    """One structured-output call through instructor over ``backend``: transport retries,
    validation re-asks (``max_reasks``), the bookkeeping of every reply, and the errors mapped
    to the library's types (``label`` names the call in them). ``run``: the grounding state of
    the call, when its response model is grounded."""
    import instructor
    import openai
    from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException

    run = run or GroundingRun(max_attempts=max_reasks + 1)
    report = CallReport(expected_tool=response_model.__name__)
    stats = TransportStats()
    hooks = instructor.hooks.Hooks()
    hooks.on("completion:response", run.on_reply)
    hooks.on("completion:response", report.on_reply)
    raw_create = backend.raw_create()
    if gate is not None:
        raw_create = gate.wrap(raw_create)
    check_async_validators_once()
    create = instructor.patch(
        create=with_transport_retries(raw_create, settings, stats),
        mode=backend.mode_name.instructor_mode(),
    )
    try:
        result = await create(
            response_model=response_model,
            messages=messages,
            model=backend.model,
            max_retries=max_reasks,
            strict=False,
            hooks=hooks,
            temperature=settings.temperature,
            max_tokens=settings.max_tokens,
        )
    except InstructorRetryException as exc:
        cause = _api_cause(exc)
        if cause is not None:
            raise endpoint_error(cause, settings, backend.mode_name, backend.model) from None
        if run.strict and run.problems:
            raise GroundingError(
                f"{label}: ungrounded content after {run.attempts} replies:\n"
                + "\n".join(f"- {p}" for p in run.problems),
                problems=run.problems,
            ) from None
        raise ModelOutputError(
            f"{label}: the model's reply did not fit the schema after {run.attempts} "
            f"replies: {_first_line(exc)}"
        ) from None
    except IncompleteOutputException:
        raise ModelOutputError(
            f"{label}: the model's reply was cut off at the token limit "
            f"(max_tokens={settings.max_tokens}); raise max_tokens or use a stronger model"
        ) from None
    except openai.OpenAIError as exc:
        raise endpoint_error(exc, settings, backend.mode_name, backend.model) from None
    report.replies = run.attempts
    report.transport_retries = stats.retries
    return result, report


def _api_cause(exc: BaseException) -> Any:
    import openai

    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, openai.OpenAIError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def _first_line(exc: BaseException) -> str:
    """The reason of a failed call in one line: the last attempt's first validation error
    (``key_points.0.text: String should have at most 400 characters``), else the first line of
    the exception's text."""
    from pydantic import ValidationError

    attempts = getattr(exc, "failed_attempts", None) or []
    last = attempts[-1].exception if attempts else exc
    if isinstance(last, ValidationError) and last.errors():
        error = last.errors()[0]
        where = ".".join(str(part) for part in error["loc"])
        more = f" (and {last.error_count() - 1} more)" if last.error_count() > 1 else ""
        return f"{where + ': ' if where else ''}{error['msg']}{more}"[:300]
    text = str(last).strip().splitlines()
    return text[0][:300] if text else type(last).__name__
