"""Scripted model replies for the seed article (000_nordkorea_moskau_de.txt)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

KIM_SENTENCE = (
    "Nordkoreas Machthaber Kim Jong Un hat Russland im Krieg gegen die Ukraine Staatsmedien "
    "zufolge „bedingungslose Unterstützung“ zugesichert."
)
DRONE_SENTENCE = (
    "Im Norden der Ukraine wurden nach Behördenangaben bei einem russischen Drohnenangriff "
    "mindestens fünf Menschen getötet."
)

DRAFT: dict[str, Any] = {
    "headline": "Kim sichert Russland bedingungslose Unterstützung zu",
    "summary": (
        "Nordkoreas Machthaber Kim Jong Un hat Russland laut KCNA bedingungslose Unterstützung "
        "im Krieg gegen die Ukraine zugesichert. Bei einem russischen Drohnenangriff im Norden "
        "der Ukraine wurden mindestens fünf Menschen getötet."
    ),
    "key_points": [
        {"text": "Kim sicherte Russland Unterstützung zu.", "evidence": {"text": KIM_SENTENCE}},
        {
            "text": "Mindestens fünf Menschen starben bei einem Drohnenangriff.",
            "evidence": {"text": DRONE_SENTENCE},
        },
    ],
    "entities": [
        {"name": "Kim Jong Un", "type": "person", "description": "Machthaber Nordkoreas"},
        {"name": "Sergej Schoigu", "type": "person", "description": "Sekretär des Sicherheitsrats"},
        {"name": "KCNA", "type": "organization", "description": "Staatliche Nachrichtenagentur"},
    ],
    "quotes": [
        {
            "speaker": "Dmitri Peskow",
            "text": "wie und wann",
            "translation": None,
        }
    ],
    "sources": [
        {"name": "KCNA", "type": "news_agency"},
        {"name": "Tass", "type": "news_agency"},
    ],
}

EVENTS: dict[str, Any] = {
    "events": [
        {
            "event_type": "attack",
            "description": "Russischer Drohnenangriff im Norden der Ukraine.",
            "actors": ["Russland"],
            "targets": [],
            "location": {"place": None, "region": "Norden der Ukraine", "country": "Ukraine"},
            "time": {"text": "in der Nacht", "date": None},
            "fatalities": 5,
            "injured": None,
            "casualty_details": "zwei Frauen und ein einjähriges Kind",
            "source_attribution": "Behörden",
            "certainty": "reported",
            "evidence": {"text": DRONE_SENTENCE},
        }
    ]
}


def draft(**changes: Any) -> dict[str, Any]:
    """A copy of DRAFT with top-level fields replaced."""
    return {**copy.deepcopy(DRAFT), **changes}


def events(**changes: Any) -> dict[str, Any]:
    """A copy of EVENTS whose single event has fields replaced."""
    payload = copy.deepcopy(EVENTS)
    payload["events"][0].update(changes)
    return payload


def grounded_draft(request: dict[str, Any]) -> dict[str, Any]:
    """A summary draft for whatever article ``request`` carries (a fake server's ``Respond``):
    its first sentence longer than 40 characters (that gives a model no instructions) as
    summary and key point, so it is grounded and supported."""
    import re

    from summarizer.testing.fake_openai import article_in
    from summarizer.text.instructions import addresses_model

    article = article_in(request)
    pieces = re.split(r"(?<=[.!?])\s+|\n+", article)
    sentence = next(
        (s for s in pieces if 40 < len(s) < 400 and not addresses_model(s)), article[:200]
    )
    return {
        "headline": "Meldung",
        "summary": sentence,
        "key_points": [{"text": sentence, "evidence": {"text": sentence}}],
        "entities": [],
        "quotes": [],
        "sources": [],
    }


def translations(replies: dict[str, str]) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """A reply to each translate call: ``replies`` for the text it asks to translate (after
    the prompt's "Deutsch): " or "English): ")."""

    def translate(body: dict[str, Any]) -> dict[str, Any]:
        asked = body["messages"][-1]["content"].rsplit("): ", 1)[-1]
        return {"translation": replies[asked]}

    return translate
