"""Render the Jinja2 prompt templates into chat messages, and version them.

The templates live in ``prompts/`` at the top of the repository; the wheel carries them as
``summarizer/prompts`` (see ``pyproject.toml``), so they load after a plain ``pip install`` too.
One static system message serves both tasks, and the user message starts with the article
(delimited by markers that carry a hash of what is between them, so that text inside cannot fake
the end marker) and ends with the task: the calls of one article share everything up to the task
as a cacheable prefix (the local model reuses its KV cache, servers their prefix cache).
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from importlib import resources
from pathlib import Path

import jinja2

from summarizer.constrained.models import (
    constrained_models,
    numbered_article,
    passage_ids,
)
from summarizer.datamodel.request import ArticleRequest
from summarizer.datamodel.schemas import CERTAINTY_DEFINITIONS, EVENT_TYPE_DEFINITIONS
from summarizer.datamodel.types import LANGUAGE_NAMES, TASKS, Language, Task
from summarizer.grounding.responses import RESPONSE_MODELS


def _template_dir() -> Path:
    packaged = resources.files("summarizer") / "prompts"
    if packaged.is_dir():
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parent.parent / "prompts"
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError("prompt templates not found (neither in the package nor the checkout)")


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(_template_dir()),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=False,
        auto_reload=False,  # package data: no file-modification check on every render
    )


SYSTEM_TEMPLATE = "system.j2"
#: The last line of a task, in the output language itself: a small model follows an instruction
#: in the language it is to write better than one about it.
WRITE_IN: dict[Language, str] = {
    "de": "Schreibe Überschrift, Zusammenfassung, Kernpunkte und Beschreibungen auf Deutsch.",
    "en": "Write the headline, summary, key points and descriptions in English.",
}


def _template_names(task: Task) -> tuple[str, str]:
    """One system template shared by every task (a prefix that stays cached across calls),
    and one user template per task."""
    return SYSTEM_TEMPLATE, f"{task}_user.j2"


def render_messages(
    task: Task,
    request: ArticleRequest,
    *,
    numbered: bool = False,
    sentences: tuple[str, ...] = (),
    headline: str = "",
) -> list[dict[str, str]]:
    """The chat messages of one call: the static system prompt, then the article (after its
    headline and date, when the request has them), then the task, so that the calls of one
    article share everything up to the task as a cacheable prefix. ``numbered``: the article's
    sentences carry ids and its quoted passages are listed with ids (constrained schemas that
    name evidence by id). ``sentences`` and ``headline``: what a condense or translate call
    restates or translates (the translate template has no article: only those sentences)."""
    env = _environment()
    system_name, user_name = _template_names(task)
    system = env.get_template(system_name).render(
        event_types=[(t.value, d) for t, d in EVENT_TYPE_DEFINITIONS.items()],
        certainties=[(c.value, d) for c, d in CERTAINTY_DEFINITIONS.items()],
        numbered=numbered,
    )
    published = request.published
    article = numbered_article(request.text) if numbered else request.text
    passages = list(passage_ids(request.text).items()) if numbered else []
    shown = article + "".join(text for _, text in passages)
    user = env.get_template(user_name).render(
        article=article,
        # The hash covers everything between markers, so none of it can contain the end marker.
        boundary=hashlib.sha256(f"{published.text}{shown}".encode()).hexdigest()[:12],
        article_language_name=LANGUAGE_NAMES[request.language],
        output_language_name=LANGUAGE_NAMES[request.output_language],
        title=published.title,
        date=published.date,
        numbered=numbered,
        passages=passages,
        sentences=sentences,
        headline=headline,
        write_in=WRITE_IN[request.output_language],
    )
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


@cache
def prompt_version() -> str:
    """A short hash of every template and of the response schemas: changes when either does."""
    digest = hashlib.sha256()
    directory = _template_dir()
    for path in sorted(directory.glob("*.j2")):  # included templates too
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    # The per-article constrained schemas too, built for a fixed probe text: a change to their
    # caps, limits or field order changes the version.
    text = "A probe sentence of the article. It says „a quoted passage“, said Kim Probe."
    probes = [
        constrained_models(text, "en", extractive, ids)
        for extractive in (False, True)
        for ids in (False, True)
    ]
    models = [*RESPONSE_MODELS.values(), *(p[task] for p in probes for task in TASKS)]
    for model in models:
        digest.update(json.dumps(model.model_json_schema(), sort_keys=True).encode())
    return digest.hexdigest()[:12]


#: Template sentences shorter than this are too generic to call a repeat of them a leak.
LEAK_MIN_CHARS = 30


@cache
def template_lines() -> tuple[str, ...]:
    """The sentences of every prompt template as the model reads them (system and user
    messages of all tasks, with and without a published headline and date), without list
    markers, at least :data:`LEAK_MIN_CHARS` long: model output that repeats one is a prompt
    leak."""
    from summarizer.datamodel.request import Published
    from summarizer.text.segmentation import sentences

    found: list[str] = []
    variants = [(p, n) for p in (Published(), Published.of("T", "D")) for n in (False, True)]
    for published, numbered in variants:
        probe = ArticleRequest(text="", language="en", output_language="en", published=published)
        for task in (*RESPONSE_MODELS, "condense", "translate"):
            for message in render_messages(task, probe, numbered=numbered):  # type: ignore[arg-type]
                for line in message["content"].splitlines():
                    if "===" in line:
                        continue  # the markers carry a per-article hash
                    for sentence in sentences(line.strip().lstrip("-0123456789. ")):
                        if len(sentence) >= LEAK_MIN_CHARS:
                            found.append(sentence)
    return tuple(dict.fromkeys(found))
