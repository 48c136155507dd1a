"""A provider from "another package": registered by an entry point in the tests, never named in
the summarizer package (``tests/test_architecture.py``)."""

from __future__ import annotations

from summarizer.datamodel.request import ArticleRequest
from summarizer.datamodel.schemas import ArticleSummary
from summarizer.datamodel.settings import Settings
from summarizer.providers.policy import ProviderPolicy


class EchoBackend:
    """Answers with the article's first line as headline and its second paragraph as summary."""

    name = "echo"
    model = "echo-1"
    mode_name = "none"
    concurrent = True

    @classmethod
    def policy(cls, settings: Settings) -> ProviderPolicy:
        return ProviderPolicy(model=cls.model, max_reasks=0, concurrency=3, chunk_chars=9_000)

    def __init__(self, settings: Settings, *, batch: bool = False) -> None:
        self.settings = settings

    def build_summary(self, request: ArticleRequest) -> ArticleSummary:
        lines = request.text.strip().split("\n\n")
        return ArticleSummary(
            language=request.language,
            output_language=request.output_language,
            headline=lines[0].strip(),
            summary=lines[1].strip() if len(lines) > 1 else lines[0].strip(),
        )
