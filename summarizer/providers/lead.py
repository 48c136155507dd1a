"""Provider ``lead``: the classic lead baseline (no LLM).

Headline = the first line; summary = the first sentences of the body, whole sentences up to
:data:`LEAD_WORDS` words (DUC's lead baseline: the article's opening, filling the length a
summary is allowed; the eval harness scores every summary within the reference's length);
nothing else. It cannot translate, so its output language is always the article's. Scored
through the same harness as the LLM providers, it shows what the model adds.
"""

from __future__ import annotations

from summarizer.datamodel.request import ArticleRequest
from summarizer.datamodel.schemas import ArticleSummary
from summarizer.datamodel.settings import Settings
from summarizer.providers.policy import ProviderPolicy
from summarizer.text.segmentation import flatten, paragraphs, sentence_spans

LEAD_WORDS = 120


def lead_sentences(body: str, words: int = LEAD_WORDS) -> list[str]:
    """The first sentences of ``body``: whole sentences while fewer than ``words`` words are
    taken (at least one)."""
    flat = flatten(body)
    taken: list[str] = []
    count = 0
    for start, end in sentence_spans(flat):
        sentence = flat[start:end].strip()
        if not sentence:
            continue
        if taken and count + len(sentence.split()) > words:
            break
        taken.append(sentence)
        count += len(sentence.split())
    return taken


class LeadBackend:
    """The lead baseline as a provider (no model, no options)."""

    name = "lead"
    model = f"lead-{LEAD_WORDS}-words"
    mode_name = "none"
    concurrent = True

    @classmethod
    def policy(cls, settings: Settings) -> ProviderPolicy:
        return ProviderPolicy(model=cls.model)

    def __init__(self, settings: Settings | None = None, *, batch: bool = False) -> None:
        """Nothing to set up: the baseline reads only the article."""

    def build_summary(self, request: ArticleRequest) -> ArticleSummary:
        parts = paragraphs(request.text)
        headline = parts[0].splitlines()[0][:200] if parts else ""
        body = "\n\n".join(parts[1:]) or request.text
        return ArticleSummary(
            language=request.language,
            output_language=request.language,
            headline=headline,
            summary=" ".join(lead_sentences(body)),
        )
