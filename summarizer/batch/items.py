"""Batch input: a directory of article files, a JSONL file, or JSONL on standard input.

Every article becomes a :class:`BatchItem`; one that cannot be read carries its
:class:`~summarizer.datamodel.errors.InputError` instead of text, so it turns into an error record
and the run goes on.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from summarizer.datamodel.errors import InputError
from summarizer.datamodel.request import ArticleRequest
from summarizer.datamodel.types import LANGUAGES, Language
from summarizer.inputs import article_request, extract_html, load_article, looks_like_html

ARTICLE_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".html", ".htm", ".xhtml"})


@dataclass(frozen=True)
class BatchItem:
    """One article of a batch, or the reason it could not be read."""

    id: str
    text: str = ""
    title: str | None = None
    date: str | None = None
    language: Language | None = None
    error: InputError | None = None

    def request(self, output_language: Language | None) -> ArticleRequest:
        """The summary request of this article (its read error, or a language error, raised)."""
        if self.error is not None:
            raise self.error
        return article_request(
            self.text,
            language=self.language,
            output_language=output_language,
            title=self.title,
            date=self.date,
        )


class BatchSource:
    """The articles of ``INPUT`` (a directory, a ``.jsonl`` file, or ``-`` for stdin)."""

    def __init__(self, spec: str) -> None:
        self.spec = spec
        self.path = None if spec == "-" else Path(spec)
        if self.path is not None and not self.path.exists():
            raise InputError(f"no such file or directory: {spec}")

    def count(self) -> int | None:
        """How many articles there are, when that is known without reading stdin."""
        if self.path is None:
            return None
        if self.path.is_dir():
            return len(self._files())
        with self.path.open("rb") as handle:
            return sum(1 for line in handle if line.strip())

    def __iter__(self) -> Iterator[BatchItem]:
        if self.path is None:
            yield from _jsonl_items(sys.stdin, "standard input")
        elif self.path.is_dir():
            for file in self._files():
                yield _file_item(file, file.relative_to(self.path).as_posix())
        else:
            try:
                with self.path.open(encoding="utf-8-sig", errors="replace") as handle:
                    yield from _jsonl_items(handle, self.spec)
            except OSError as exc:
                raise InputError(f"cannot read {self.spec}: {exc.strerror}") from None

    def _files(self) -> list[Path]:
        assert self.path is not None
        return sorted(
            p
            for p in self.path.rglob("*")
            if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES and not p.name.startswith(".")
        )


def _file_item(path: Path, item_id: str) -> BatchItem:
    try:
        article = load_article(path.read_bytes(), item_id, path.name)
    except InputError as exc:
        return BatchItem(id=item_id, error=exc)
    except OSError as exc:
        return BatchItem(id=item_id, error=InputError(f"cannot read {item_id}: {exc.strerror}"))
    return BatchItem(id=item_id, text=article.text, title=article.title, date=article.date)


def _jsonl_items(handle: IO[str], where: str) -> Iterator[BatchItem]:
    for number, line in enumerate(handle, start=1):
        if line.strip():
            yield _record_item(line, f"{where} line {number}", f"line-{number}")


def _record_item(line: str, where: str, fallback_id: str) -> BatchItem:
    try:
        record: Any = json.loads(line)
    except json.JSONDecodeError as exc:
        return BatchItem(id=fallback_id, error=InputError(f"{where}: invalid JSON ({exc.msg})"))
    if not isinstance(record, dict):
        return BatchItem(id=fallback_id, error=InputError(f"{where}: not a JSON object"))
    raw_id = record.get("id")
    if not isinstance(raw_id, str | int) or isinstance(raw_id, bool) or str(raw_id) == "":
        return BatchItem(id=fallback_id, error=InputError(f"{where}: missing 'id'"))
    item_id = str(raw_id)
    text, title, date = record.get("text"), record.get("title"), record.get("date")
    language = record.get("language")
    if not isinstance(text, str):
        return BatchItem(id=item_id, error=InputError(f"{where}: 'text' must be a string"))
    if language is not None and language not in LANGUAGES:
        return BatchItem(
            id=item_id,
            error=InputError(f"{where}: language {language!r} is not supported (de or en)"),
        )
    if looks_like_html(text[:512].encode()):
        try:
            page = extract_html(text, where)
        except InputError as exc:
            return BatchItem(id=item_id, error=exc)
        text, title, date = page.text, title or page.title, date or page.date
    return BatchItem(
        id=item_id,
        text=text,
        title=title if isinstance(title, str) else None,
        date=date if isinstance(date, str) else None,
        language=language,
    )
