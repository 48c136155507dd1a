"""An on-disk result cache (diskcache, SQLite underneath) keyed by everything that shapes
the output: provider, model, mode, prompt version, options, the article text, and the code that
reads the replies (:func:`code_version`: a fix to a check or to the casualty reader is not
served stale from the cache)."""

from __future__ import annotations

import hashlib
import json
import os
from functools import cache
from pathlib import Path
from typing import Any

from summarizer.datamodel.files import private_dir
from summarizer.datamodel.request import ArticleRequest
from summarizer.datamodel.schemas import ArticleSummary
from summarizer.datamodel.settings import Settings
from summarizer.prompts import prompt_version
from summarizer.providers.base import Backend, DirectBackend
from summarizer.providers.policy import ProviderPolicy

#: Settings that change what a provider returns; part of every cache key ...
OUTPUT_SHAPING = (
    "temperature",
    "max_tokens",
    "strict",
    "repeat_penalty",
    "context_size",
    "base_url",
    "extractive",
    "sentence_ids",
)
#: ... and the provider's policy values that do (as in force: its defaults under the settings,
#: refined by what the backend serves).
POLICY_SHAPING = ("max_reasks", "constrain", "guided", "chunk_chars")


#: The rooms whose code turns replies into results.
_RESULT_CODE = ("datamodel", "text", "grounding", "constrained", "pipeline", "providers")


@cache
def code_version() -> str:
    """A short hash of the code that shapes results (the rooms in :data:`_RESULT_CODE`)."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for room in _RESULT_CODE:
        for path in sorted((package / room).rglob("*.py")):
            digest.update(path.relative_to(package).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def result_key(**parts: Any) -> str:
    """A stable hash of ``parts`` (JSON with sorted keys)."""
    blob = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


def summary_key(
    backend: Backend | DirectBackend,
    settings: Settings,
    policy: ProviderPolicy,
    request: ArticleRequest,
) -> str:
    """The cache key of the summary of ``request`` made by ``backend`` with ``settings`` under
    ``policy`` (the one in force: ``Summarizer.policy``)."""
    return result_key(
        provider=backend.name,
        model=backend.model,
        mode=backend.mode_name,
        prompt_version=prompt_version(),
        code_version=code_version(),
        output_language=request.output_language,
        language=request.language,
        options={name: getattr(settings, name) for name in OUTPUT_SHAPING},
        policy={name: getattr(policy, name) for name in POLICY_SHAPING},
        article=request.text,
        published=[request.published.title, request.published.date],
    )


class ResultCache:
    """Summaries by key; safe across threads and processes; files readable by the user only."""

    def __init__(self, directory: Path) -> None:
        import diskcache

        private_dir(directory)
        previous = os.umask(0o077)  # the SQLite files diskcache creates: user-only
        try:
            self._cache = diskcache.Cache(str(directory))
        finally:
            os.umask(previous)

    def get(self, key: str) -> ArticleSummary | None:
        raw = self._cache.get(key)
        return ArticleSummary.model_validate_json(raw) if isinstance(raw, str) else None

    def put(self, key: str, summary: ArticleSummary) -> None:
        self._cache.set(key, summary.model_dump_json())

    def get_text(self, key: str) -> str | None:
        """Any other cached result, stored as text (e.g. an eval judge's verdicts)."""
        raw = self._cache.get(key)
        return raw if isinstance(raw, str) else None

    def put_text(self, key: str, text: str) -> None:
        self._cache.set(key, text)

    def close(self) -> None:
        self._cache.close()
