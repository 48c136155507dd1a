"""An on-disk result cache (diskcache, SQLite underneath) keyed by everything that shapes
the output: provider, model, mode, prompt version, options and the article text."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from summarizer.schemas import ArticleSummary


def result_key(**parts: Any) -> str:
    """A stable hash of ``parts`` (JSON with sorted keys)."""
    blob = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


class ResultCache:
    """Summaries by key; opened lazily, safe across threads and processes."""

    def __init__(self, directory: Path) -> None:
        import diskcache

        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        self._cache = diskcache.Cache(str(directory))

    def get(self, key: str) -> ArticleSummary | None:
        raw = self._cache.get(key)
        return ArticleSummary.model_validate_json(raw) if isinstance(raw, str) else None

    def put(self, key: str, summary: ArticleSummary) -> None:
        self._cache.set(key, summary.model_dump_json())

    def close(self) -> None:
        self._cache.close()
