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
   one short sentence per event sentence in the output language - the events' descriptions,
   and the summary: the lead and the main fact of each further topic, casualties first (in
   the article's language the lead itself as written, when it is not long).
4. **Checks**: the events go through the same event checks as every provider's (figures by
   kind, type against its trigger words, description against its evidence, time a time
   expression); a restated sentence its source does not support is replaced by the source
   sentence (same language) or flagged.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, create_model

from summarizer.constrained.kinds import PATTERNS, TextKind, declared
from summarizer.datamodel.issues import GroundingIssue, IssueAction, IssueKind
from summarizer.datamodel.request import ArticleRequest
from summarizer.datamodel.settings import Settings
from summarizer.datamodel.types import LANGUAGE_NAMES
from summarizer.grounding.quality import wrong_language
from summarizer.grounding.support import KEY_POINT_MIN_SHARE, claim_support
from summarizer.pipeline.calls import CallReport, instructor_call, structured_call
from summarizer.pipeline.entities import article_entities
from summarizer.pipeline.guided_records import checked_events, checked_summary
from summarizer.pipeline.rule_records import (
    event_candidates,
    fullest_name,
    rule_quotes,
    rule_sources,
    summary_topics,
    title_line,
)
from summarizer.prompts import render_messages
from summarizer.providers.base import Backend
from summarizer.providers.policy import ProviderPolicy
from summarizer.text.lexicon import article_names, fold_token
from summarizer.text.numbers import stated_values
from summarizer.text.speakers import DATELINE
from summarizer.transport import RequestGate

#: Sentences restated for the summary (the lead and the main facts of further topics, in
#: order of importance), and the summary's length: whole sentences while within it.
SUMMARY_SENTENCES = 5
SUMMARY_CHARS = 450
#: The lead sentence goes into a summary in the article's language as written up to this
#: many words (longer ones are restated).
LEAD_AS_WRITTEN_WORDS = 35
#: Characters of one restated sentence, and of the headline made from the lead's.
SENTENCE_CHARS = 220
HEADLINE_CHARS = 100
#: A restated sentence shorter than this is a fragment ("Angriffe zerstört."), not a sentence.
MIN_SENTENCE_WORDS = 6
MAX_KEY_POINTS = 5


def names_with(request: ArticleRequest, listed: list[str]) -> frozenset[str]:
    """The article's name tokens and those of the names a reply listed (entities, sources:
    German names the lexicon knows as words, "Kim")."""
    words = {fold_token(w) for name in listed for w in name.split() if w[:1].isupper()}
    return article_names(request.text, request.language) | words


def condensed_model(count: int) -> type[BaseModel]:
    """``{"s1": ..., "sN": ...}``: one bounded sentence per given sentence, in order."""
    field: Any = (
        str,
        Field(
            min_length=1,
            max_length=SENTENCE_CHARS,
            pattern=PATTERNS[TextKind.sentence],
            json_schema_extra=declared(TextKind.sentence),
        ),
    )
    headline: Any = (
        str,
        Field(min_length=1, max_length=HEADLINE_CHARS, description="A short factual headline."),
    )
    fields = {f"s{n}": field for n in range(1, count + 1)}
    return create_model("Restated", **fields, headline=headline)


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
    restated, headline, restate_report, flagged = await _restate(
        request, [text for _, _, text in spans], names, backend, settings, gate
    )
    report = report.merge(restate_report)
    by_start = {start: text for (start, _, _), text in zip(spans, restated, strict=True)}
    # What the summary may say: not a sentence kept only flagged (one at least).
    sayable = [t for t in topics if spans.index(t) not in flagged] or topics[:1]
    # An event's description is never a sentence its evidence does not support: where the
    # restatement failed in the other language, one is made from the event's own fields.
    templated = frozenset(spans[index][0] for index in flagged)
    events, event_issues = checked_events(request, candidates, by_start, names, entities, templated)
    report.issues += event_issues
    fields = draft.model_dump(warnings=False)
    summary = [by_start[start] for start, _, _ in sayable]
    if sayable and topics and sayable[0] == topics[0]:
        summary[0] = _lead_as_written(request, topics[0][2]) or summary[0]
    fields["summary"] = _within(SUMMARY_CHARS, summary)
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
    text = DATELINE.sub("", lead).strip()
    if request.output_language != request.language or len(text.split()) > LEAD_AS_WRITTEN_WORDS:
        return None
    return text if text[-1:] in '.!?“"”' else f"{text}."


def _within(limit: int, sentences: list[str]) -> str:
    """The sentences joined in their order, each that fits in ``limit`` characters with those
    before it (a long one left out does not stop a shorter one after it; the first always)."""
    kept: list[str] = []
    for sentence in dict.fromkeys(sentences):  # a sentence said twice is said once
        if kept and len(" ".join([*kept, sentence])) > limit:
            continue
        kept.append(sentence)
    return " ".join(kept)


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
) -> tuple[list[str], str, CallReport, set[int]]:
    """Each sentence restated briefly in the output language, the headline, the bookkeeping,
    and the indexes of restated sentences kept only flagged (other language, not supported or
    in the wrong language). One the model's sentence does not follow from is kept as written
    (same language) or kept and flagged. Sentences written in the article's language instead of
    the other are asked for once more, as a translation."""
    if not sentences:
        return [], "", CallReport(), set()
    messages = render_messages(
        "condense", request, numbered=settings.sentence_ids, sentences=tuple(sentences)
    )
    model = condensed_model(len(sentences))
    reply, report = await instructor_call(
        "condense", messages, model, backend, settings, max_reasks=0
    )
    written = [getattr(reply, f"s{n}") for n in range(1, len(sentences) + 1)]
    same = request.output_language == request.language
    untranslated = [
        n
        for n, text in enumerate(written, start=1)
        if not same and wrong_language(text, request.output_language) is not None
    ]
    if untranslated:
        language = LANGUAGE_NAMES[request.output_language]
        feedback = (
            f"Sentences {', '.join(f'({n})' for n in untranslated)} are not in {language}. "
            f"Translate every sentence into {language}; do not copy the article's words."
        )
        again, again_report = await instructor_call(
            "condense",
            [
                *messages,
                {"role": "assistant", "content": reply.model_dump_json()},
                {"role": "user", "content": feedback},
            ],
            model,
            backend,
            settings,
            max_reasks=0,
        )
        report = report.merge(again_report)
        for n in untranslated:
            text = getattr(again, f"s{n}")
            if wrong_language(text, request.output_language) is None:
                written[n - 1] = text
    headline = _checked_headline(reply.headline, sentences[0], request, report)
    result, flagged = [], set()
    for number, (source, text) in enumerate(zip(sentences, written, strict=True), start=1):
        support = claim_support(  # by the sentence alone: it restates that sentence
            text,
            source,
            claim_language=request.output_language,
            passage_language=request.language,
            names=names,
        )
        language_wrong = wrong_language(text, request.output_language) is not None
        figures_lost = bool(stated_values(source, request.language)) and not stated_values(
            text, request.output_language
        )
        whole = len(text.split()) >= MIN_SENTENCE_WORDS  # "Schoigu zweiter Besuch." is not
        if (
            support.supported(KEY_POINT_MIN_SHARE)
            and whole
            and not (language_wrong or figures_lost)
        ):
            result.append(text.strip())
            continue
        action = IssueAction.corrected if same else IssueAction.flagged
        report.issues.append(
            GroundingIssue(
                kind=IssueKind.wrong_language if language_wrong else IssueKind.unsupported,
                action=action,
                where=f"condense.s{number}",
                text=text,
                detail="the restated sentence does not follow from its source sentence, "
                "leaves out its figures, is a fragment or is in the wrong language"
                + ("; the source sentence was kept" if same else ""),
                task="condense",
            )
        )
        if not same:
            flagged.add(number - 1)
        result.append(DATELINE.sub("", source) if same else text.strip())
    return result, headline, report, flagged


def _checked_headline(headline: str, lead: str, request: ArticleRequest, report: CallReport) -> str:
    """The model's headline when the lead sentence supports it and it is in the output
    language; else empty (the restated lead is used), recorded."""
    headline = headline.strip().rstrip(".")
    support = claim_support(
        headline,
        lead,
        claim_language=request.output_language,
        passage_language=request.language,
        names=article_names(request.text, request.language),
    )
    wrong = wrong_language(headline, request.output_language) is not None
    if headline and support.supported(KEY_POINT_MIN_SHARE) and not wrong:
        return headline
    report.issues.append(
        GroundingIssue(
            kind=IssueKind.wrong_language if wrong else IssueKind.unsupported,
            action=IssueAction.corrected,
            where="headline",
            text=headline,
            detail="the headline does not follow from the lead sentence; the restated lead "
            "was used",
            task="condense",
        )
    )
    return ""
