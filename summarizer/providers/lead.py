"""Provider ``lead``: the classic lead baseline (no LLM).

Headline = the first line; summary = the first three sentences of the body; nothing else.
It cannot translate, so its output language is always the article's. Scored through the same
harness as the LLM providers, it shows what the model adds.
"""

from __future__ import annotations

from summarizer.core.request import ArticleRequest
from summarizer.core.schemas import ArticleSummary
from summarizer.core.segmentation import flatten, paragraphs, sentence_spans

LEAD_SENTENCES = 3


def lead_sentences(body: str, count: int = LEAD_SENTENCES) -> list[str]:
    """The first ``count`` sentences of ``body``."""
    flat = flatten(body)
    return [flat[s:e].strip() for s, e in sentence_spans(flat) if flat[s:e].strip()][:count]


class LeadBackend:
    name = "lead"
    model = "lead-3"
    mode_name = "none"
    concurrent = True

    def build_summary(self, request: ArticleRequest) -> ArticleSummary:
        parts = paragraphs(request.text)
        headline = parts[0].splitlines()[0][:200] if parts else ""
        body = "\n\n".join(parts[1:]) or request.text
        return ArticleSummary(
            language=request.language,
            output_language=request.language,
            headline=headline,
            summary=" ".join(lead_sentences(body))[:1200],
        )
