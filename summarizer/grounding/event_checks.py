"""The checks of an events reply: evidence, casualty figures, parties and descriptions (see
:mod:`summarizer.grounding.checks`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from summarizer.datamodel.issues import IssueAction, IssueKind
from summarizer.grounding.checks import Checker, flat
from summarizer.text.attribution import stated_figures
from summarizer.text.matching import mentions

if TYPE_CHECKING:
    from summarizer.datamodel.schemas import EventRecord


class Events(Protocol):
    """What the event checks read and edit (an events call's reply)."""

    events: list[EventRecord]


class EventChecks(Checker):
    """Checks one event list in place."""

    def check(self, events: Events) -> None:  # type: ignore[override]
        kept = []
        for i, event in enumerate(events.events):
            located = self._span(f"events[{i}].evidence", event.evidence)
            # Casualty figures and parties must be stated near the event: in its paragraph.
            context = self._paragraph(event.evidence) if located else self.article
            for field_name in ("fatalities", "injured"):
                value = getattr(event, field_name)
                if value is not None and not self._states_count(value, context):
                    self._find(
                        IssueKind.number_not_stated,
                        f"events[{i}].{field_name}",
                        str(value),
                        f"{value} is not stated in the article near the event's evidence "
                        f"(use null when no number is given)",
                        IssueAction.cleared,
                    )
                    if self.lenient:
                        setattr(event, field_name, None)
            if located:
                self._parties(i, event, context)
                self._missing_figures(i, event)
            self._well_formed(
                f"events[{i}].description", event.description, IssueAction.flagged, sentence=True
            )
            if located or not self.lenient:
                kept.append(event)
        events.events = self._unique(
            "events",
            kept,
            lambda e: (e.event_type, e.evidence.text),
            lambda e: flat(e.description),
        )

    def _missing_figures(self, i: int, event: EventRecord) -> None:
        """A figure the evidence sentence states next to "killed" or "injured" belongs in the
        event: re-asked; after the last re-ask filled in when the sentence states one only."""
        if self.article_language is None:
            return
        for field_name in ("fatalities", "injured"):
            if getattr(event, field_name) is not None:
                continue
            figures = stated_figures(event.evidence.text, field_name, self.article_language)
            if not figures:
                continue
            listed = ", ".join(map(str, sorted(figures)))
            single = len(figures) == 1
            self._find(
                IssueKind.missing_figure,
                f"events[{i}].{field_name}",
                "null",
                f"the evidence states {listed} for {field_name}; give that number",
                IssueAction.corrected if single else IssueAction.flagged,
            )
            if self.lenient and single:
                setattr(event, field_name, next(iter(figures)))

    def _parties(self, i: int, event: EventRecord, paragraph: str) -> None:
        """Actors, targets, place and source must be named in the evidence's paragraph."""
        for field_name in ("actors", "targets"):
            names: list[str] = getattr(event, field_name)
            missing = [n for n in names if not mentions(n, paragraph)]
            for name in missing:
                self._find(
                    IssueKind.unsupported,
                    f"events[{i}].{field_name}",
                    name,
                    f"{name!r} is not named in the paragraph of the event's evidence",
                    IssueAction.cleared,
                )
            if missing and self.lenient:
                setattr(event, field_name, [n for n in names if n not in missing])
        place = event.location.place
        if place and not mentions(place, paragraph):
            self._find(
                IssueKind.unsupported,
                f"events[{i}].location.place",
                place,
                f"{place!r} is not named in the paragraph of the event's evidence",
                IssueAction.cleared,
            )
            if self.lenient:
                event.location.place = None
        source = event.source_attribution
        if source and not mentions(source, paragraph):
            self._find(
                IssueKind.unsupported,
                f"events[{i}].source_attribution",
                source,
                f"{source!r} does not report this event in its paragraph; name who the "
                "paragraph says reports it, or null",
                IssueAction.cleared,
            )
            if self.lenient:
                event.source_attribution = None
