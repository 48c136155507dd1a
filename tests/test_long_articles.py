"""Articles longer than the context: split into overlapping parts, merged, one summary."""

from __future__ import annotations

import itertools
import re
from typing import Any

from summarizer import summarize
from summarizer.pipeline.chunking import split_into_chunks
from summarizer.testing.fake_openai import FakeOpenAIServer, Respond, article_in
from tests.conftest import FULL_SCHEMAS

CITIES = ["Berlin", "Hamburg", "München", "Köln", "Leipzig", "Dresden", "Bremen", "Kiel"]


def long_article(words: int = 20_000) -> str:
    """A German article of ``words`` words in paragraphs of four sentences."""
    paragraphs, count, number = [], 0, 0
    while count < words:
        city = CITIES[number % len(CITIES)]
        sentences = [
            f"In {city} berieten Vertreter der Bundesregierung am Tag {number} über den Haushalt.",
            f"Die Sitzung Nummer {number} dauerte nach Angaben der Teilnehmer mehrere Stunden.",
            "Kritiker bemängelten, dass die Pläne zu wenig für Schulen und Straßen vorsehen.",
            f"Eine Entscheidung über den Abschnitt {number} soll in der kommenden Woche fallen.",
        ]
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        count += len(paragraph.split())
        number += 1
    return "Haushaltsberatungen in ganz Deutschland\n\n" + "\n\n".join(paragraphs)


def first_sentence(text: str) -> str:
    body = text.split("\n\n", 1)[-1] if text.startswith("Haushalts") else text
    return re.split(r"(?<=\.)\s", body.strip(), maxsplit=1)[0]


def draft_for(request: dict[str, Any]) -> dict[str, Any]:
    part = article_in(request)
    sentence = first_sentence(part)
    return {
        "headline": "Beratungen über den Haushalt",
        "summary": "Vertreter der Bundesregierung berieten über den Haushalt.",
        "key_points": [{"text": f"Beratung: {sentence}", "evidence": {"text": sentence}}],
        "entities": [
            {"name": "Bundesregierung", "type": "organization", "description": "berät"},
        ],
        "quotes": [],
        "sources": [],
    }


def events_for(request: dict[str, Any]) -> dict[str, Any]:
    sentence = first_sentence(article_in(request))
    city = next(c for c in CITIES if c in sentence)
    return {
        "events": [
            {
                "event_type": "meeting",
                "description": f"Beratung in {city}: {sentence}",
                "actors": ["Bundesregierung"],
                "targets": [],
                "location": {"place": city, "region": None, "country": None},
                "time": {"text": None, "date": None},
                "fatalities": None,
                "injured": None,
                "casualty_details": None,
                "source_attribution": None,
                "certainty": "reported",
                "evidence": {"text": sentence},
            }
        ]
    }


COMBINED = {
    "headline": "Bundesregierung berät in acht Städten über den Haushalt",
    "summary": "Vertreter der Bundesregierung berieten in mehreren Städten über den Haushalt.",
}


def test_chunks_are_exact_overlapping_slices_within_the_limit() -> None:
    article = long_article()
    chunks = split_into_chunks(article, 20_000)
    assert len(chunks) > 5
    for before, after in itertools.pairwise(chunks):
        assert after.start < before.end  # overlap: the boundary paragraph is in both
    for chunk in chunks:
        assert article[chunk.start : chunk.end] == chunk.text and len(chunk.text) <= 20_000
    assert chunks[0].start == 0 and chunks[-1].end == len(article)


def test_20000_word_article_is_summarized_in_parts_and_merged(server: FakeOpenAIServer) -> None:
    article = long_article()
    assert len(article.split()) >= 20_000
    server.always("SummaryDraft", Respond(draft_for))
    server.always("EventList", Respond(events_for))
    server.always("CombinedSummary", Respond(lambda _: COMBINED))
    result = summarize(
        article,
        provider="openai",
        base_url=server.base_url,
        mode="json_schema",
        chunk_chars=20_000,
    )
    parts = len(split_into_chunks(article, 20_000))
    assert len(server.requests_for("SummaryDraft")) == parts
    assert len(server.requests_for("EventList")) == parts
    assert len(server.requests_for("CombinedSummary")) == 1
    for request in server.requests_for("SummaryDraft"):
        assert len(article_in(request)) <= 20_000
    # One coherent summary, from the combine call over the parts' summaries.
    assert (result.headline, result.summary) == (COMBINED["headline"], COMBINED["summary"])
    combine_input = article_in(server.requests_for("CombinedSummary")[0])
    assert f"Part {parts} of {parts}:" in combine_input
    # Offsets are relative to the whole article, from every part.
    spans = [p.evidence for p in result.key_points] + [e.evidence for e in result.events]
    for span in spans:
        assert span.start is not None and span.end is not None
        assert article[span.start : span.end] == span.text
    assert max(p.evidence.start or 0 for p in result.key_points) > len(article) // 2
    assert len(result.key_points) == parts
    # Deduplicated: the entity every part names appears once; no event twice.
    assert [e.name for e in result.entities] == ["Bundesregierung"]
    evidence_starts = [e.evidence.start for e in result.events]
    assert len(evidence_starts) == len(set(evidence_starts)) == parts
    assert result.metadata is not None and result.metadata.llm_calls == 2 * parts + 1
    assert result.metadata.warnings == []


def test_short_article_is_one_part(server: FakeOpenAIServer) -> None:
    article = long_article(300)
    server.always("SummaryDraft", Respond(draft_for))
    server.always("EventList", Respond(events_for))
    result = summarize(article, provider="openai", base_url=server.base_url, **FULL_SCHEMAS)
    assert len(server.requests) == 2 and result.metadata and result.metadata.llm_calls == 2


def test_overlapping_parts_report_a_shared_fact_once() -> None:
    from summarizer.pipeline.chunking import Chunk
    from summarizer.pipeline.merge import merge_parts

    article = "Erster Absatz.\n\nGemeinsamer Absatz mit dem Fakt.\n\nLetzter Absatz."
    shared = "Gemeinsamer Absatz mit dem Fakt."
    first = Chunk(0, article[:48])
    second = Chunk(16, article[16:])

    def found_in(chunk: Chunk, text: str) -> dict[str, Any]:
        start = chunk.text.index(shared)
        span = {"text": shared, "start": start, "end": start + len(shared)}
        draft = {
            "key_points": [{"text": text, "evidence": span}],
            "entities": [{"name": "Regierung", "type": "organization", "description": "x"}],
            "quotes": [],
            "sources": [{"name": "dpa", "type": "news_agency"}],
        }
        return draft

    merged = merge_parts(
        [
            (first, found_in(first, "Der Fakt."), []),
            (second, found_in(second, "Der Fakt, anders gesagt."), []),
        ]
    )
    [point] = merged["key_points"]
    assert article[point["evidence"]["start"] : point["evidence"]["end"]] == shared
    assert len(merged["entities"]) == len(merged["sources"]) == 1
