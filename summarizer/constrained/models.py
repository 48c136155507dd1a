"""Per-article response models that make grounding hold by construction (used for small models).

Under grammar-constrained decoding the JSON schema decides what the model can write. These
models narrow every choice the article can make for the model:

* every evidence span is one of the article's sentences, every quote one of its quoted passages;
* a quote's speaker is one of the names its sentence attributes it to (per passage:
  :func:`~summarizer.grounding.support.speaker_choices`), or free text where none is found;
* an event's casualty figures are numbers its evidence sentence states (or null), and its source
  one of the names its paragraph reports through (or null) - per group of sentences that offer
  the same choices;
* a source the article names as a news agency comes typed ``news_agency``;
* the model's own texts are bounded by sentences, not by a character cap that stops a word: a
  key point or description is one sentence, the summary two to four, each sentence of bounded
  length ending with ``.``, ``!`` or ``?`` (declared kinds, :mod:`summarizer.constrained.kinds`);
  offsets are hidden (the code fills them in), and list lengths are capped.

Only the model's words remain free: it can be wrong in choosing, not in inventing. The
*extractive* variant (same-language output) goes further: key points and summary are article
sentences the model picks, and it writes only the headline and short descriptions.

They subclass the normal response models, so validation, grounding and the assembled
:class:`~summarizer.datamodel.schemas.ArticleSummary` are the same.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Literal, Union

from pydantic import BaseModel, Field, create_model, model_validator
from pydantic.json_schema import SkipJsonSchema

from summarizer.constrained.kinds import PATTERNS, TextKind, declared
from summarizer.datamodel import schemas
from summarizer.datamodel.types import Language
from summarizer.grounding import responses
from summarizer.grounding.checks import MIN_EVIDENCE_CHARS
from summarizer.text.attribution import is_agency_name, reported_by, speaker_choices
from summarizer.text.lexicon import article_names
from summarizer.text.numbers import stated_values
from summarizer.text.segmentation import (
    article_sentence_spans,
    flatten,
    paragraph_around,
    quoted_spans,
    sentences,
)

MAX_CHOICES = 120

#: List caps for small models (the full models allow more) ...
CAPS = {"key_points": 5, "entities": 8, "quotes": 5, "sources": 3, "events": 5, "summary": 4}
#: ... and minimums the grammar enforces, so a small model cannot answer with empty lists.
MINIMUMS = {"key_points": 3, "entities": 2, "events": 1, "summary": 2}
#: Character caps of the model's own texts (the grammar enforces them while decoding); a
#: summary sentence is at most "sentence" long.
LENGTHS = {
    "headline": 150,
    "sentence": 250,
    "point": 250,
    "name": 80,
    "description": 200,
    "role": 60,
}


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))[:MAX_CHOICES]


#: Chat-template control tokens written as text: ``<|im_start|>`` (ChatML, Qwen),
#: ``<|start_header_id|>`` (Llama 3), ``<|endoftext|>``, ``<s>``/``</s>``.
CONTROL_TOKEN_TEXT = re.compile(r"<(\|[A-Za-z0-9_]{1,40}\||/?s)>")


def usable(text: str) -> bool:
    """Long enough to be evidence, and without control-token markup (the grammar would accept
    the model's real end-of-turn token as those characters and stop mid-string)."""
    return len(text) >= MIN_EVIDENCE_CHARS and not CONTROL_TOKEN_TEXT.search(text)


def evidence_sentences(article: str) -> list[str]:
    """The article's sentences that can be evidence (:func:`usable`), distinct,
    whitespace-flattened (no newlines: grammar enums need that)."""
    return _unique([s for s in sentences(article) if usable(s)])


def _passages(article: str) -> list[tuple[int, str]]:
    """(start, whitespace-flattened text) of each distinct quoted passage usable as a quote."""
    found: dict[str, int] = {}
    for start, end in quoted_spans(article):
        text = flatten(article[start:end])
        if len(text) >= 3 and not CONTROL_TOKEN_TEXT.search(text):
            found.setdefault(text, start)
    return [(start, text) for text, start in found.items()][:MAX_CHOICES]


def sentence_ids(article: str) -> dict[str, str]:
    """``{"S1": sentence, ...}``: the ids the prompt shows next to the article's sentences."""
    return {f"S{n}": text for n, text in enumerate(evidence_sentences(article), start=1)}


def passage_ids(article: str) -> dict[str, str]:
    """``{"Q1": passage, ...}``: the ids of the quoted passages the prompt lists."""
    return {f"Q{n}": text for n, (_, text) in enumerate(_passages(article), start=1)}


def numbered_article(article: str) -> str:
    """``article`` with each sentence that can be evidence preceded by its id (``[S3] ``)."""
    ids = {text: key for key, text in sentence_ids(article).items()}
    parts, position = [], 0
    for start, end in article_sentence_spans(article):
        key = ids.get(flatten(article[start:end]))
        if key is not None:
            parts += [article[position:start], f"[{key}] "]
            position = start
    return "".join([*parts, article[position:]])


def _choice(values: list[str]) -> Any:
    return Literal[tuple(values)]  # type: ignore[valid-type]


def _text(limit: str, description: str, *, sentence: bool = False) -> Any:
    """A field the model writes: plain text, or (``sentence``) one sentence, declared so."""
    if not sentence:
        return (str, Field(min_length=1, max_length=LENGTHS[limit], description=description))
    return (
        str,
        Field(
            min_length=1,
            max_length=LENGTHS[limit],
            pattern=PATTERNS[TextKind.sentence],
            description=description,
            json_schema_extra=declared(TextKind.sentence),
        ),
    )


def _items(model: Any, name: str, maximum: int | None = None) -> Any:
    limit = CAPS[name] if maximum is None else maximum
    return (list[model], Field(min_length=MINIMUMS.get(name, 0), max_length=limit))


_HIDDEN: Any = (SkipJsonSchema[int | None], None)
_HIDDEN_TEXT: Any = (SkipJsonSchema[str], "")
_HIDDEN_OPTIONAL_TEXT: Any = (SkipJsonSchema[str | None], None)
_TRANSLATION = "Translation into the output language when it differs from the article's."


def _resolver(field: str, texts: dict[str, str]) -> Any:
    """A validator that sets ``text`` to what the id in ``field`` names."""

    def resolve(self: Any) -> Any:
        self.text = texts[getattr(self, field)]
        self.alignment = schemas.AlignmentStatus.chosen
        return self

    return model_validator(mode="after")(resolve)


def _evidence(
    choices: list[str], name: str = "EvidenceSpan", ids: dict[str, str] | None = None
) -> type[BaseModel]:
    """Evidence: one of ``choices`` copied, or (``ids``) the id of one of them."""
    if ids is None:
        return create_model(
            name,
            __base__=schemas.EvidenceSpan,
            text=(_choice(choices), Field(description="One sentence of the article.")),
            start=_HIDDEN,
            end=_HIDDEN,
        )
    chosen = {key: text for key, text in ids.items() if text in set(choices)}
    return create_model(
        name,
        __base__=schemas.EvidenceSpan,
        __validators__={"resolve": _resolver("sentence", chosen)},
        sentence=(
            _choice(list(chosen)),
            Field(description="The id of one sentence of the article.", exclude=True),
        ),
        text=_HIDDEN_TEXT,
        start=_HIDDEN,
        end=_HIDDEN,
    )


def _quote_models(
    article: str,
    language: Language,
    names: frozenset[str],
    ids: bool = False,
    translate: bool = False,
) -> list[Any]:
    """One quote model per quoted passage (copied, or named by its id), its speaker one of the
    names its sentence attributes it to (free text where none is found); a translation only
    when the output is in the other language."""
    translation: Any = (
        (str | None, Field(default=None, description=_TRANSLATION))
        if translate
        else _HIDDEN_OPTIONAL_TEXT
    )
    models = []
    for number, (start, text) in enumerate(_passages(article), start=1):
        speakers = speaker_choices(article, start, language, names)
        speaker = (
            (_choice(speakers), Field(description="Who said it, as the article names them."))
            if speakers
            else _text("name", "Who said it, as named in the article.")
        )
        passage: dict[str, Any] = (
            {
                "__validators__": {"resolve": _resolver("passage", {f"Q{number}": text})},
                "passage": (
                    Literal[f"Q{number}"],
                    Field(description="The id of a quoted passage.", exclude=True),
                ),
                "text": _HIDDEN_TEXT,
            }
            if ids
            else {"text": (_choice([text]), Field(description="A quoted passage."))}
        )
        models.append(  # the passage first: it decides who may be its speaker
            create_model(
                f"Quote{number}",
                **passage,
                speaker=speaker,
                translation=translation,
                start=_HIDDEN,
                end=_HIDDEN,
                alignment=(SkipJsonSchema[schemas.AlignmentStatus | None], None),
            )
        )
    return models


def _source_models(article: str) -> list[Any]:
    """Sources: the news agencies the article names, typed as such; anyone else, any type."""
    agencies = _unique([w for w in re.findall(r"[\w-]+", article) if is_agency_name(w)])
    others = [t.value for t in schemas.SourceType if t is not schemas.SourceType.news_agency]
    other = create_model(
        "OtherSource",
        __base__=schemas.Source,
        name=_text("name", "The source as named in the article."),
        type=(_choice(others), Field(description="Kind of source.")),
    )
    if not agencies:
        return [other]
    agency = create_model(
        "AgencySource",
        __base__=schemas.Source,
        name=(_choice(agencies), Field(description="A news agency the article names.")),
        type=(Literal["news_agency"], Field(description="Kind of source.")),
    )
    return [agency, other]


#: When an event happened, as the article writes it; the ISO date (which a small model guesses)
#: left out.
_EVENT_TIME = create_model(
    "EventTime",
    __base__=schemas.EventTime,
    text=(str | None, Field(default=None, max_length=60, description="As written, or null.")),
    date=_HIDDEN_OPTIONAL_TEXT,
)


def _event_models(
    article: str, language: Language, names: frozenset[str], ids: dict[str, str] | None = None
) -> list[Any]:
    """Event models, one per group of evidence sentences that offer the same casualty figures
    (the numbers the sentence states) and sources (who its paragraph reports through)."""
    groups: dict[tuple[tuple[int, ...], tuple[str, ...]], list[str]] = {}
    for start, end in article_sentence_spans(article):
        sentence = flatten(article[start:end])
        if not usable(sentence):
            continue
        figures = sorted(
            {
                int(v)
                for v in stated_values(article[start:end], language)
                if v == int(v) and 0 < v < 100_000 and not 1800 <= v <= 2100  # not a year
            }
        )
        paragraph = paragraph_around(article, start, end)
        key = (tuple(figures), tuple(reported_by(paragraph, language, names)))
        groups.setdefault(key, []).append(sentence)
    models = []
    for number, ((figures, reporters), members) in enumerate(groups.items(), start=1):
        figure: Any = Literal[figures] | None if figures else None  # type: ignore[valid-type]
        reporter: Any = _choice(list(reporters)) | None if reporters else None
        chosen: dict[str, Any] = {
            # Evidence first: the chosen sentence decides what the other fields may be.
            "evidence": (_evidence(_unique(members), f"Evidence{number}", ids), ...),
            "fatalities": (figure, Field(default=None, description="People killed, as stated.")),
            "injured": (figure, Field(default=None, description="People injured, as stated.")),
            "source_attribution": (reporter, Field(default=None, description="Who reports it.")),
        }
        chosen["time"] = (_EVENT_TIME, Field(default_factory=_EVENT_TIME))
        chosen["casualty_details"] = _HIDDEN_OPTIONAL_TEXT  # the figures carry it; fewer tokens
        chosen["casualty_claims"] = (SkipJsonSchema[list[Any]], Field(default_factory=list))
        fields = {"evidence": chosen["evidence"]}
        for name, info in schemas.EventRecord.model_fields.items():
            if name == "description":
                continue
            fields.setdefault(name, chosen.get(name, (info.annotation, info)))
        fields["description"] = _text(
            "description", "One short sentence, output language.", sentence=True
        )
        models.append(create_model(f"Event{number}", **fields))
    return models


def _one_of(models: list[Any]) -> Any:
    """The type "one of ``models``" (JSON schema ``anyOf``)."""
    return models[0] if len(models) == 1 else Union[tuple(models)]  # noqa: UP007


@lru_cache(maxsize=8)
def constrained_models(
    article: str,
    language: Language,
    extractive: bool = False,
    ids: bool = False,
    translate: bool = False,
) -> dict[str, type[BaseModel]]:
    """``{"summary": ..., "events": ...}`` response models for this article (in
    ``language``); ``extractive``: key points and summary are picked article sentences;
    ``ids``: sentences and quoted passages are named by the ids of :func:`numbered_article`
    and :func:`passage_ids` instead of copied; ``translate``: the output is in the other
    language (quotes get a translation)."""
    names = article_names(article, language)
    choices = evidence_sentences(article) or [flatten(article)[:800]]
    by_id = (sentence_ids(article) or {"S1": choices[0]}) if ids else None
    evidence = _evidence(choices, ids=by_id)
    # Evidence first: the chosen sentence is in context when the model writes the rest; in the
    # extractive variant the sentence is the key point (its text filled in from it).
    point_text = (
        _HIDDEN_TEXT
        if extractive
        else _text(
            "point", "The fact of that sentence, short, in the output language.", sentence=True
        )
    )
    key_point = create_model("KeyPoint", evidence=(evidence, ...), text=point_text)
    entity = create_model(
        "Entity",
        __base__=schemas.Entity,
        name=_text("name", "The name as written in the article."),
        description=_text("role", "Its role in the story, a few words."),
    )
    quotes = _quote_models(article, language, names, ids, translate)
    # Fields in "extract first, then write" order: a model writes JSON in schema order, so it
    # picks facts, names and quotes from the article before it writes headline and summary.
    fields: dict[str, Any] = {
        "key_points": _items(key_point, "key_points"),
        "entities": _items(entity, "entities"),
        "quotes": _items(
            _one_of(quotes) if quotes else schemas.Quote, "quotes", None if quotes else 0
        ),
        "sources": _items(_one_of(_source_models(article)), "sources"),
        "headline": _text("headline", "A short factual headline in the output language."),
    }
    summary_description = "Two to four sentences: who did what, where, when, who reports it."
    if extractive:
        fields["summary_sentences"] = (
            list[_choice(list(by_id) if by_id else choices)],  # type: ignore[misc]
            Field(min_length=MINIMUMS["summary"], max_length=CAPS["summary"]),
        )
    else:
        most = CAPS["summary"] * (LENGTHS["sentence"] + 1)
        fields["summary"] = (
            str,
            Field(
                min_length=1,
                max_length=most,
                pattern=PATTERNS[TextKind.summary],
                description=summary_description,
                json_schema_extra=declared(TextKind.summary),
            ),
        )
    base = responses.SentenceListDraft if extractive else responses.GroundedModel
    draft = create_model("SummaryDraft", __base__=base, **fields)
    if extractive and by_id:
        draft.sentence_ids = by_id  # type: ignore[attr-defined]  # read by assemble()
    events = create_model(
        "EventList",
        __base__=responses.EventList,
        events=_items(_one_of(_event_models(article, language, names, by_id)), "events"),
    )
    return {"summary": draft, "events": events}
