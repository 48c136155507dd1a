"""The guided pipeline: rules find and fill, a small model writes short sentences.

For providers whose policy is ``guided`` (the embedded model: a 1.5B model on 2 cores is good
at short sentences about a given sentence and at choosing among offered options, bad at
filling a large schema in one go):

1. **Draft** (one constrained call): the entities the model finds; cleaned and completed by
   rules (:mod:`summarizer.pipeline.entities`: the places, agencies and abbreviations named).
2. **Rules** (:mod:`summarizer.pipeline.rule_records`): quotes with the speaker their sentence
   attributes them to, the article's sources typed, the event sentences (the lead first) with
   type, time, place, source and certainty; casualty figures are read afterwards by the claim
   reader, by kind.
3. **Condense** (one constrained call, the article's prompt prefix reused from the KV cache):
   one short sentence per event sentence in the article's language - the events' descriptions,
   and the summary: the lead and the main fact of each further topic, casualties first (the
   lead itself as written, when it is not long).
4. **Translate** (for output in the other language: :mod:`.translation`, one call per
   sentence and one for the headline): those sentences (the summary's topics as written where
   they are not long) and the headline translated, each checked against its article sentence.
   The summary says the same topics in either language: they are chosen by their length in
   the article's language.
5. **Checks**: the events go through the same event checks as every provider's (figures by
   kind, type against its trigger words, description against its evidence, time a time
   expression); a restated sentence its source does not support is replaced by the source
   sentence, a translation that fails is flagged and left out of the summary.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from summarizer.datamodel.issues import GroundingIssue, IssueAction
from summarizer.datamodel.request import ArticleRequest
from summarizer.datamodel.settings import Settings
from summarizer.datamodel.types import SENTENCE_MAX_CHARS
from summarizer.pipeline.calls import CallReport, instructor_call, structured_call
from summarizer.pipeline.entities import article_entities
from summarizer.pipeline.guided_records import checked_events, checked_summary
from summarizer.pipeline.restated import (
    HEADLINE_CHARS,
    checked_headline,
    sentence_fault,
    sentences_model,
)
from summarizer.pipeline.rule_records import (
    event_candidates,
    fullest_name,
    rule_quotes,
    rule_sources,
    summary_topics,
    title_line,
)
from summarizer.pipeline.translation import translated
from summarizer.prompts import render_messages
from summarizer.providers.base import Backend
from summarizer.providers.policy import ProviderPolicy
from summarizer.text.lexicon import article_names, fold_token
from summarizer.text.speakers import DATELINE
from summarizer.transport import RequestGate

#: Sentences restated for the summary (the lead and the main facts of further topics, in
#: order of importance), and the summary's length: whole sentences while within it.
SUMMARY_SENTENCES = 5
SUMMARY_CHARS = 450
#: The lead sentence goes into a summary in the article's language as written up to this
#: many words (longer ones are restated).
LEAD_AS_WRITTEN_WORDS = 35
#: In the other output language, the summary's further sentences are translated as written up
#: to this many words (in its own language they stay restated: more topics fit, measured).
OTHER_AS_WRITTEN_WORDS = 25
MAX_KEY_POINTS = 5


def names_with(request: ArticleRequest, listed: list[str]) -> frozenset[str]:
    """The article's name tokens and those of the names a reply listed (entities, sources:
    German names the lexicon knows as words, "Kim")."""
    words = {fold_token(w) for name in listed for w in name.split() if w[:1].isupper()}
    return article_names(request.text, request.language) | words


async def guided_summary(
    request: ArticleRequest,
    backend: Backend,
    settings: Settings,
    policy: ProviderPolicy,
    gate: RequestGate | None = None,
) -> tuple[dict[str, Any], CallReport]:
    """The fields of an :class:`~summarizer.datamodel.schemas.ArticleSummary` for
    ``request`` (module docstring), and the bookkeeping of the calls."""
    draft, report = await structured_call("summary", request, backend, settings, policy, gate)
    entities = list(getattr(draft, "entities", []))
    names = names_with(request, [e.name for e in entities])
    candidates = event_candidates(request.text, request.language)
    topics = summary_topics(candidates, request.text, SUMMARY_SENTENCES)
    spans = list(dict.fromkeys([(c.start, c.end, c.text) for c in candidates] + topics))
    texts = [text for _, _, text in spans]
    own = replace(request, output_language=request.language)
    restated, headline, restate_report = await _restate(own, texts, names, backend, settings, gate)
    report = report.merge(restate_report)
    # The summary's sentences in the article's language (the lead as written where it is not
    # long): they choose what the summary says, in either output language.
    own_said = {start: text for (start, _, _), text in zip(spans, restated, strict=True)}
    if topics:
        own_said[topics[0][0]] = _lead_as_written(own, topics[0][2]) or own_said[topics[0][0]]
    flagged: set[int] = set()
    if request.output_language != request.language:
        restated, headline, translate_report, flagged = await _in_other_language(
            request, spans, topics, restated, headline, names, backend, settings, gate
        )
        report = report.merge(translate_report)
    # A sentence longer than a key point or a description may be (an article sentence kept
    # where its restatement failed) is said by none of them.
    flagged |= {i for i, text in enumerate(restated) if len(text) > SENTENCE_MAX_CHARS}
    by_start = {start: text for (start, _, _), text in zip(spans, restated, strict=True)}
    # What the summary may say: not a sentence kept only flagged (one at least).
    sayable = [t for t in topics if spans.index(t) not in flagged] or topics[:1]
    # An event's description is never a sentence its evidence does not support: where the
    # restatement failed in the other language, one is made from the event's own fields.
    templated = frozenset(spans[index][0] for index in flagged)
    events, event_issues = checked_events(request, candidates, by_start, names, entities, templated)
    report.issues += event_issues
    fields = draft.model_dump(warnings=False)
    said = own_said if request.output_language == request.language else by_start
    chosen = _fitting(SUMMARY_CHARS, [own_said[start] for start, _, _ in sayable])
    fields["summary"] = " ".join(dict.fromkeys(said[sayable[i][0]] for i in chosen))
    fields["headline"] = _best_headline(request, headline, sayable, by_start)
    fields["key_points"] = [
        {
            "text": by_start[start],
            "evidence": {"text": request.text[start:end], "start": start, "end": end},
        }
        for start, end, _ in [
            span for span in dict.fromkeys([*topics, *spans]) if spans.index(span) not in flagged
        ][:MAX_KEY_POINTS]
    ]
    sources = rule_sources(request.text, request.language, names)
    for source in sources:  # "Katrin Albers" for "Albers"
        source.name = fullest_name(source.name, [e.name for e in entities])
    known = [e.name for e in entities] + [s.name for s in sources]
    quotes = rule_quotes(request.text, request.language, names, known)
    fields["quotes"] = [q.model_dump() for q in quotes]
    found = article_entities(request, entities, quotes, sources)
    fields["entities"] = [e.model_dump() for e in found]
    fields["sources"] = [s.model_dump() for s in sources]
    fields["events"] = events
    fields, summary_issues = checked_summary(request, fields)
    report.issues += summary_issues
    return fields, report


async def _in_other_language(
    request: ArticleRequest,
    spans: list[tuple[int, int, str]],
    topics: list[tuple[int, int, str]],
    restated: list[str],
    headline: str,
    names: frozenset[str],
    backend: Backend,
    settings: Settings,
    gate: RequestGate | None,
) -> tuple[list[str], str, CallReport, set[int]]:
    """The sentences of the article's language translated
    (:func:`~summarizer.pipeline.translation.translated`): each summary topic as written where
    it is not long (the lead up to :data:`LEAD_AS_WRITTEN_WORDS` words, the others up to
    :data:`OTHER_AS_WRITTEN_WORDS`; its restatement where that translation fails: a restatement
    translated is two small-model steps from the article, "Zug verletzt, drei Waggons aus den
    Schienen" became "Three wagons were hit by a train"), the others restated; and the headline
    (the article's own, else the model's)."""
    own = replace(request, output_language=request.language)
    originals = list(restated)
    instead: dict[int, str] = {}
    for rank, topic in enumerate(topics):  # translated as written where not long (README)
        limit = LEAD_AS_WRITTEN_WORDS if rank == 0 else OTHER_AS_WRITTEN_WORDS
        written = _as_written(topic[2], limit)
        if written:
            at = spans.index(topic)
            originals[at], instead[at] = written, restated[at]
    by_start = {start: text for (start, _, _), text in zip(spans, restated, strict=True)}
    own_headline = _best_headline(own, headline, topics, by_start)
    return await translated(
        request,
        [text for _, _, text in spans],
        originals,
        own_headline,
        names,
        backend,
        settings,
        gate,
        instead,
    )


def _best_headline(
    request: ArticleRequest,
    written: str,
    topics: list[tuple[int, int, str]],
    by_start: dict[int, str],
) -> str:
    """The article's own headline line when the output is in its language (the publisher's
    words beat a small model's: measured, README); else the model's headline when the lead
    supports it; else the restated lead."""
    title = title_line(request.text)
    if title and request.output_language == request.language:
        return title
    if written:
        return written
    return _headline(by_start[topics[0][0]]) if topics else ""


def _lead_as_written(request: ArticleRequest, lead: str) -> str | None:
    """The article's lead sentence without its dateline, as the summary's first sentence, when
    the summary is in the article's language and the lead is at most
    :data:`LEAD_AS_WRITTEN_WORDS` words: a news lead is written to be the shortest full account,
    and a 1.5B model's restatement of it lost facts (measured, README)."""
    if request.output_language != request.language:
        return None
    return _as_written(lead, LEAD_AS_WRITTEN_WORDS)


def _as_written(sentence: str, limit: int) -> str | None:
    """``sentence`` without its dateline and with its full stop, when it is at most ``limit``
    words."""
    text = DATELINE.sub("", sentence).strip()
    if len(text.split()) > limit:
        return None
    return text if text[-1:] in '.!?“"”' else f"{text}."


def _within(limit: int, sentences: list[str]) -> str:
    """The sentences :func:`_fitting` keeps, joined in their order."""
    return " ".join(sentences[i] for i in _fitting(limit, sentences))


def _fitting(limit: int, sentences: list[str]) -> list[int]:
    """The indexes of the sentences that fit in ``limit`` characters with those kept before
    them, in their order (a long one left out does not stop a shorter one after it; the first
    always; a sentence said twice is kept once). The summary's sentences are chosen so in the
    article's language, and the same ones said in the other: its translations run longer or
    shorter (German about 1.2 times English), and what the summary says does not depend on it
    (measured, README)."""
    kept: list[int] = []
    for index, sentence in enumerate(sentences):
        if sentence in (sentences[i] for i in kept):
            continue
        if kept and len(" ".join([*(sentences[i] for i in kept), sentence])) > limit:
            continue
        kept.append(index)
    return kept


def _headline(sentence: str) -> str:
    """The restated lead as a headline: without its full stop, at most 150 characters (cut at
    a word)."""
    text = sentence.strip().rstrip(".")
    if len(text) <= HEADLINE_CHARS:
        return text
    return text[: text.rfind(" ", 0, HEADLINE_CHARS)].rstrip(",;: ")


async def _restate(
    request: ArticleRequest,
    sentences: list[str],
    names: frozenset[str],
    backend: Backend,
    settings: Settings,
    gate: RequestGate | None,
) -> tuple[list[str], str, CallReport]:
    """Each sentence restated briefly in the article's language (``request`` is for that
    language), the headline, and the bookkeeping. A restatement that fails its check
    (:func:`~summarizer.pipeline.restated.sentence_fault`) gives way to the article's sentence,
    recorded."""
    if not sentences:
        return [], "", CallReport()
    messages = render_messages(
        "condense", request, numbered=settings.sentence_ids, sentences=tuple(sentences)
    )
    model = sentences_model(len(sentences))
    reply, report = await instructor_call(
        "condense", messages, model, backend, settings, max_reasks=0, gate=gate
    )
    headline = checked_headline(
        reply.headline,
        sentences[0],
        request,
        article_names(request.text, request.language),
        report,
        task="condense",
        detail="the headline does not follow from the lead sentence; the restated lead was used",
    )
    result = []
    for number, source in enumerate(sentences, start=1):
        text = getattr(reply, f"s{number}").strip()
        fault = sentence_fault(text, source, request, names)
        if fault is None:
            result.append(text)
            continue
        report.issues.append(
            GroundingIssue(
                kind=fault,
                action=IssueAction.corrected,
                where=f"condense.s{number}",
                text=text,
                detail="the restated sentence does not follow from its source sentence, "
                "leaves out its figures, is a fragment or is in the wrong language; the source "
                "sentence was kept",
                task="condense",
            )
        )
        result.append(DATELINE.sub("", source))
    return result, headline, report
