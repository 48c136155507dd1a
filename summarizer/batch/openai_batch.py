"""OpenAI Batch API: export request files, import result files into batch records.

``export`` writes one request line per (article, task) with exactly the body instructor would
send (same prompts, schema and mode), so runs of 100k+ articles can go through the Batch API at
batch prices. ``import`` replays each returned completion through the normal pipeline (a backend
that answers from the file), so the results are validated and grounded like live ones. There is
no second chance at import: what a live run would re-ask about is dropped and recorded in the
warnings, and a reply that does not fit the schema becomes an error record.

A ``custom_id`` is ``<article id>|<task>|<digest>``; the digest covers the article text, the
output language, the model and the prompt version, so an import against changed articles or
prompts reports them instead of mixing them up.
"""

from __future__ import annotations

import hashlib
import json
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from summarizer.batch.items import BatchItem, BatchSource
from summarizer.batch.results import ResultsFile
from summarizer.datamodel.errors import ConfigurationError, InputError, SummarizerError
from summarizer.datamodel.files import open_private
from summarizer.datamodel.request import ArticleRequest
from summarizer.datamodel.schemas import BatchRecord, RecordError, RunMetadata
from summarizer.datamodel.settings import Settings
from summarizer.datamodel.types import TASKS, Language, Mode, Task
from summarizer.pipeline import Summarizer
from summarizer.pipeline.calls import policy_inputs
from summarizer.prompts import prompt_version
from summarizer.providers.registry import policy_for

ENDPOINT = "/v1/chat/completions"
BACKEND_NAME = "openai-batch"


def batch_mode(settings: Settings) -> Mode:
    """The mode of Batch API requests: a file cannot probe a server, so ``auto`` is refused."""
    mode = policy_for(settings).mode
    if mode is None or mode is Mode.auto:
        raise ConfigurationError(
            "Batch API files need a structured-output mode: --mode tools or --mode json_schema"
        )
    return mode


def custom_id(item_id: str, request: ArticleRequest, task: Task, model: str) -> str:
    """The request's id: the article's id and task, and a hash of everything its prompt is
    made of, so results of an article changed since the export are not taken for it."""
    parts = [request.text, request.published.text, request.output_language, model, prompt_version()]
    digest = hashlib.sha256("\0".join(parts).encode()).hexdigest()[:16]
    return f"{item_id}|{task}|{digest}"


#: OpenAI's limits on one batch input file, with some headroom on the size.
MAX_FILE_REQUESTS = 50_000
MAX_FILE_BYTES = 190 * 1024 * 1024


@dataclass
class ExportTotals:
    articles: int = 0
    requests: int = 0
    skipped: int = 0  # unreadable articles (their errors are printed)
    files: list[Path] = field(default_factory=list)


class _RequestFiles:
    """Writes to ``out``; when a file limit would be passed, continues in ``NAME-002.jsonl``,
    ``NAME-003.jsonl``, ... (``out`` itself becomes ``NAME-001.jsonl``). Both requests of an
    article stay in one file."""

    def __init__(self, out: Path, max_requests: int, max_bytes: int) -> None:
        self.out, self.max_requests, self.max_bytes = out, max_requests, max_bytes
        self.files = [out]
        self._handle = open_private(out)
        self._requests = self._bytes = 0

    def _part(self, number: int) -> Path:
        return self.out.with_name(f"{self.out.stem}-{number:03d}{self.out.suffix}")

    def write(self, lines: list[str]) -> None:
        size = sum(len(line.encode()) for line in lines)
        over = (
            self._requests + len(lines) > self.max_requests or self._bytes + size > self.max_bytes
        )
        if over and self._requests:
            self._handle.close()
            if len(self.files) == 1:
                self.files[0] = self.out.rename(self._part(1))
            self.files.append(self._part(len(self.files) + 1))
            self._handle = open_private(self.files[-1])
            self._requests = self._bytes = 0
        self._handle.writelines(lines)
        self._requests += len(lines)
        self._bytes += size

    def close(self) -> None:
        self._handle.close()


def export_requests(
    items: Iterable[BatchItem],
    settings: Settings,
    out: Path,
    output_language: Language | None,
    on_skip: Any = None,
    *,
    max_requests: int = MAX_FILE_REQUESTS,
    max_bytes: int = MAX_FILE_BYTES,
) -> ExportTotals:
    """Write the Batch API request file(s) for ``items``; return what was written."""
    totals = ExportTotals()
    files = _RequestFiles(out, max_requests, max_bytes)
    try:
        for item in items:
            try:
                request = item.request(output_language)
            except SummarizerError as exc:
                totals.skipped += 1
                if on_skip is not None:
                    on_skip(item.id, exc)
                continue
            lines = [
                json.dumps(_request(item.id, request, task, settings), ensure_ascii=False) + "\n"
                for task in TASKS
            ]
            files.write(lines)
            totals.requests += len(lines)
            totals.articles += 1
    finally:
        files.close()
    totals.files = files.files
    return totals


def _request(
    item_id: str, request: ArticleRequest, task: Task, settings: Settings
) -> dict[str, Any]:
    """One Batch API request line: the body instructor would send for this call."""
    from instructor.processing import handle_response_model

    messages, response_model = policy_inputs(task, request, policy_for(settings), settings)
    _, body = handle_response_model(
        response_model,
        mode=batch_mode(settings).instructor_mode(),
        messages=messages,
        model=policy_for(settings).model,
        temperature=settings.temperature,
        max_tokens=settings.max_tokens,
    )
    return {
        "custom_id": custom_id(item_id, request, task, policy_for(settings).model),
        "method": "POST",
        "url": ENDPOINT,
        "body": body,
    }


class ReplayBackend:
    """Answers the pipeline's calls from Batch API results, in task order (summary, events);
    ``concurrent = False`` makes the pipeline ask in exactly that order."""

    name = BACKEND_NAME
    concurrent = False

    def __init__(self, model: str, mode_name: Mode, completions: list[Any]) -> None:
        self.model = model
        self.mode_name = mode_name
        self._replies = deque(completions)

    def raw_create(self) -> Any:
        async def create(*_: Any, **__: Any) -> Any:
            return self._replies.popleft()

        return create


class ResultLines:
    """The Batch API result lines of some files, found by ``custom_id``.

    Opening the files indexes where each line starts; a line is read and parsed only when it is
    asked for, so memory holds one offset per request rather than every completion of a
    100k-article run. Where files repeat a ``custom_id`` the later one wins. Use as a context
    manager (it keeps the files open).
    """

    def __init__(self, paths: list[Path]) -> None:
        self._paths = paths
        self._handles: list[BinaryIO] = []
        self._where: dict[str, tuple[int, int]] = {}

    def __enter__(self) -> ResultLines:
        try:
            for path in self._paths:
                self._index(path)
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        for handle in self._handles:
            handle.close()
        self._handles.clear()

    def _index(self, path: Path) -> None:
        try:
            handle = path.open("rb")
        except OSError as exc:
            raise InputError(f"cannot read {path}: {exc.strerror}") from None
        self._handles.append(handle)
        file_number, offset = len(self._handles) - 1, 0
        for number, line in enumerate(handle, start=1):
            if line.strip():
                self._where[_custom_id_of(line, path, number)] = (file_number, offset)
            offset += len(line)

    def get(self, request_id: str) -> dict[str, Any] | None:
        """The parsed result line of ``request_id``, or None when no file has one."""
        where = self._where.get(request_id)
        if where is None:
            return None
        handle = self._handles[where[0]]
        handle.seek(where[1])
        entry: dict[str, Any] = json.loads(handle.readline())
        return entry


def _custom_id_of(line: bytes, path: Path, number: int) -> str:
    try:
        return str(json.loads(line)["custom_id"])
    except (json.JSONDecodeError, UnicodeDecodeError, KeyError, TypeError):
        raise InputError(f"{path} line {number} is not a Batch API result line") from None


def _completion(entry: dict[str, Any] | None, request_id: str) -> Any:
    """The ChatCompletion of one result line, or an error saying why there is none."""
    from openai.types.chat import ChatCompletion
    from pydantic import ValidationError

    if entry is None:
        raise InputError(
            f"no result for {request_id} (not exported, or the article, output language, model "
            "or prompts changed since the export)"
        )
    if entry.get("error"):
        raise SummarizerError(f"the Batch API reported an error: {entry['error']}")
    response = entry.get("response") or {}
    if response.get("status_code") != 200:
        raise SummarizerError(f"the Batch API request failed (HTTP {response.get('status_code')})")
    try:
        return ChatCompletion.model_validate(response.get("body"))
    except ValidationError:
        raise SummarizerError("the Batch API result is not a chat completion") from None


async def import_record(
    item: BatchItem,
    replies: ResultLines,
    settings: Settings,
    output_language: Language | None,
) -> BatchRecord:
    """Validate and ground one article's Batch API results into a batch record."""
    base: dict[str, Any] = {"id": item.id, "title": item.title, "date": item.date}
    metadata = RunMetadata(
        provider=BACKEND_NAME,
        model=policy_for(settings).model,
        mode=batch_mode(settings),
        prompt_version=prompt_version(),
    )
    try:
        request = item.request(output_language)
        ids = [custom_id(item.id, request, task, policy_for(settings).model) for task in TASKS]
        completions = [_completion(replies.get(i), i) for i in ids]
        backend = ReplayBackend(policy_for(settings).model, batch_mode(settings), completions)
        replay = Summarizer(settings.model_copy(update={"max_reasks": 0}), backend)
        summary = await replay.asummarize(request)
    except SummarizerError as exc:
        error = RecordError(type=type(exc).__name__, message=str(exc))
        return BatchRecord(**base, status="error", error=error, metadata=metadata)
    return BatchRecord(**base, status="ok", summary=summary, metadata=summary.metadata)


@dataclass
class ImportTotals:
    ok: int = 0
    failed: int = 0


async def import_results(
    items: BatchSource,
    result_files: list[Path],
    out: Path,
    settings: Settings,
    output_language: Language | None,
) -> ImportTotals:
    """Turn the Batch API result files of the articles of ``items`` into batch records in
    ``out``: articles already recorded as ok are skipped, error records are tried again."""
    totals = ImportTotals()
    with ResultLines(result_files) as replies, ResultsFile(out) as results:
        results.drop_failed()  # a re-import tries them again
        done = results.statuses()
        for item in items:
            if done.get(item.id) == "ok":
                continue
            record = await import_record(item, replies, settings, output_language)
            results.append(record)
            if record.status == "ok":
                totals.ok += 1
            else:
                totals.failed += 1
    return totals
