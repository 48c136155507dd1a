"""Provider ``lead``: the classic lead baseline (no LLM).

Headline = the first line; summary = the first three sentences of the body; nothing else.
It cannot translate, so its output language is always the article's. Scored through the same
harness as the LLM providers, it shows what the model adds.
"""

from __future__ import annotations

import re

from summarizer.schemas import ArticleSummary, LanguageCode

_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'“”»]?\s+(?=[A-ZÄÖÜ„\"'“«])")
LEAD_SENTENCES = 3


def lead_sentences(body: str, count: int = LEAD_SENTENCES) -> list[str]:
    """The first ``count`` sentences of ``body`` (a simple punctuation-based split)."""
    flat = " ".join(body.split())
    return [s.strip() for s in _SENTENCE_END.split(flat) if s.strip()][:count]


class LeadBackend:
    name = "lead"
    model = "lead-3"
    mode_name = "none"
    concurrent = True

    def build_summary(
        self, text: str, language: LanguageCode, output_language: LanguageCode
    ) -> ArticleSummary:
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
        headline = paragraphs[0].splitlines()[0][:200] if paragraphs else ""
        body = "\n\n".join(paragraphs[1:]) or text
        return ArticleSummary(
            language=language,
            output_language=language,
            headline=headline,
            summary=" ".join(lead_sentences(body))[:1200],
        )
