"""Per-article response models that make grounding hold by construction (used for small models).

Under grammar-constrained decoding the JSON schema decides what the model can write. These
models restrict every evidence span to one of the article's sentences and every quote to one of
its quoted passages (JSON-schema ``enum``s built for this article), hide the offset fields the
code fills in anyway, and cap list lengths, so a small model cannot invent evidence, cannot
ramble through long lists, and spends its tokens on the content. They subclass the normal
response models, so validation, grounding and the assembled :class:`ArticleSummary` are the same.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Literal

from pydantic import BaseModel, Field, create_model
from pydantic.json_schema import SkipJsonSchema

from summarizer.core import responses, schemas
from summarizer.core.grounding import MIN_EVIDENCE_CHARS
from summarizer.core.segmentation import flatten, quoted_spans, sentences

MAX_CHOICES = 120

#: List caps for small models (the full models allow more) ...
CAPS = {"key_points": 5, "entities": 8, "quotes": 5, "sources": 5, "events": 5}
#: ... and minimums the grammar enforces, so a small model cannot answer with empty lists.
MINIMUMS = {"key_points": 3, "entities": 2, "events": 1}
#: Character caps of the model's own sentences (the grammar enforces them while decoding).
LENGTHS = {"headline": 150, "summary": 700, "point": 250, "name": 80, "description": 200}


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))[:MAX_CHOICES]


#: Chat-template control tokens written as text: ``<|im_start|>`` (ChatML, Qwen),
#: ``<|start_header_id|>`` (Llama 3), ``<|endoftext|>``, ``<s>``/``</s>``.
CONTROL_TOKEN_TEXT = re.compile(r"<(\|[A-Za-z0-9_]{1,40}\||/?s)>")


def article_sentences(article: str) -> list[str]:
    """The article's sentences, whitespace-flattened (no newlines: grammar enums need that).

    Sentences with control-token markup are left out: the grammar would accept the model's
    real end-of-turn token as those characters, and generation would stop mid-string.
    """
    return _unique(
        [
            sentence
            for sentence in sentences(article)
            if len(sentence) >= MIN_EVIDENCE_CHARS and not CONTROL_TOKEN_TEXT.search(sentence)
        ]
    )


def quoted_passages(article: str) -> list[str]:
    """Passages the article puts in quotation marks, whitespace-flattened."""
    found = []
    for start, end in quoted_spans(article):
        inner = article[start:end]
        if len(inner.strip()) >= 3 and not CONTROL_TOKEN_TEXT.search(inner):
            found.append(flatten(inner))
    return _unique(found)


def _choice(values: list[str]) -> Any:
    return Literal[tuple(values)]  # type: ignore[valid-type]


@lru_cache(maxsize=8)
def constrained_models(article: str) -> dict[str, type[BaseModel]]:
    """``{"summary": ..., "events": ...}`` response models for this article."""
    hidden: Any = (SkipJsonSchema[int | None], None)
    sentence = _choice(article_sentences(article) or [flatten(article)[:800]])
    evidence = create_model(
        "EvidenceSpan",
        __base__=schemas.EvidenceSpan,
        text=(sentence, Field(description="One sentence of the article.")),
        start=hidden,
        end=hidden,
    )

    def text(limit: str, description: str) -> Any:
        return (str, Field(min_length=1, max_length=LENGTHS[limit], description=description))

    # Evidence first: the chosen sentence is in context when the model writes the rest.
    key_point = create_model(
        "KeyPoint",
        evidence=(evidence, ...),
        text=text("point", "The fact of that sentence, short, in the output language."),
    )
    entity = create_model(
        "Entity",
        __base__=schemas.Entity,
        name=text("name", "The name as written in the article."),
        description=text("description", "Its role in the story, a few words."),
    )
    passages = quoted_passages(article)
    quote_fields: dict[str, Any] = {
        "start": hidden,
        "end": hidden,
        "speaker": text("name", "Who said it, as named in the article."),
    }
    if passages:
        quote_fields["text"] = (_choice(passages), Field(description="A quoted passage."))
    quote = create_model("Quote", __base__=schemas.Quote, **quote_fields)

    def items(model: Any, name: str, maximum: int | None = None) -> Any:
        limit = CAPS[name] if maximum is None else maximum
        return (list[model], Field(min_length=MINIMUMS.get(name, 0), max_length=limit))

    # Fields in "extract first, then write" order: a model writes JSON in schema order, so it
    # picks facts, names and quotes from the article before it writes headline and summary.
    draft = create_model(
        "SummaryDraft",
        __base__=responses.GroundedModel,
        key_points=items(key_point, "key_points"),
        entities=items(entity, "entities"),
        quotes=items(quote, "quotes", None if passages else 0),
        sources=items(schemas.Source, "sources"),
        headline=text("headline", "A short factual headline in the output language."),
        summary=text("summary", "Two to four short sentences in your own words."),
    )
    event_fields: dict[str, Any] = {"evidence": (evidence, ...)}
    for name, info in schemas.EventRecord.model_fields.items():
        if name not in ("evidence", "description"):
            event_fields[name] = (info.annotation, info)
    event_fields["description"] = text("description", "One short sentence, output language.")
    event = create_model("EventRecord", **event_fields)
    events = create_model("EventList", __base__=responses.EventList, events=items(event, "events"))
    return {"summary": draft, "events": events}
