"""The small closed vocabularies of the package, each defined once: languages, structured-output
modes and tasks (and the one length every one-sentence field shares). Everything else
(settings, CLI choices, prompts, grounding) derives its lists from these."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Literal, get_args

if TYPE_CHECKING:
    import instructor

Language = Literal["de", "en"]
#: The languages articles may be in and summaries may be written in.
LANGUAGES: tuple[Language, ...] = get_args(Language)
LANGUAGE_NAMES: dict[Language, str] = {"de": "German (Deutsch)", "en": "English"}

#: The most characters of one sentence a schema takes: a key point, an event's description.
SENTENCE_MAX_CHARS = 400

Task = Literal["summary", "events", "combine", "condense", "translate"]
#: The calls every article (or every part of a long one) gets; "combine" joins the parts.
TASKS: tuple[Task, ...] = ("summary", "events")


class Mode(StrEnum):
    """How structured output is requested from an OpenAI-compatible endpoint (instructor's
    modes of the same names)."""

    tools = "tools"
    json_schema = "json_schema"
    json = "json"
    md_json = "md_json"
    #: Probe the endpoint once (cached) and use what it supports (see ``summarizer probe``).
    auto = "auto"

    @classmethod
    def in_process(cls) -> tuple[Mode, ...]:
        """Modes the in-process (local) model supports: it decodes under a grammar built from
        the schema, or parses JSON from text; it has no tool calling."""
        return (cls.json_schema, cls.json, cls.md_json)

    def instructor_mode(self) -> instructor.Mode:
        """instructor's enum member of this mode (imports instructor); ``auto`` must be
        resolved first."""
        from instructor import Mode as InstructorMode

        if self is Mode.auto:
            raise ValueError("mode auto has no instructor mode: resolve it by probing first")
        return InstructorMode[self.name.upper()]
