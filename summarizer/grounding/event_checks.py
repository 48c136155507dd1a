"""The checks of an events reply: evidence, casualty figures, parties and descriptions (see
:mod:`summarizer.grounding.checks`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from summarizer.datamodel.issues import IssueAction, IssueKind
from summarizer.datamodel.schemas import CasualtyKind, EventType
from summarizer.grounding.casualties import casualty_claims
from summarizer.grounding.checks import Checker, flat
from summarizer.grounding.support import KEY_POINT_MIN_SHARE, claim_support
from summarizer.text.attribution import stated_figures
from summarizer.text.instructions import without_instructions
from summarizer.text.matching import mentions
from summarizer.text.times import is_time_expression
from summarizer.text.triggers import implied_type

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
            if located and self.article_language is not None:
                self._figures_by_kind(i, event, context)
            else:  # no language to read the claims in: any number stated near the event
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
                self._type_fits(i, event)
                self._time_stated(i, event)
                self._description_supported(i, event, context)
            self._well_formed(
                f"events[{i}].description", event.description, IssueAction.flagged, sentence=True
            )
            ev = event.evidence
            planted = (
                located
                and ev.start is not None
                and ev.end is not None
                and without_instructions(self.article, ev.start, ev.end) is None
            )
            if planted:
                self._find(
                    IssueKind.planted_instruction,
                    f"events[{i}].evidence",
                    event.evidence.text,
                    "the evidence addresses a model (a planted instruction), it reports no event",
                    IssueAction.dropped,
                )
            if (located and not planted) or not self.lenient:
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

    def _figures_by_kind(self, i: int, event: EventRecord, context: str) -> None:
        """``fatalities`` only from a figure the evidence (and the sentences after it, as the
        claim reader reads them) or its paragraph states for killed or dead, ``injured`` only
        from one for injured or wounded; a figure of another kind, or none, is cleared."""
        language = self.article_language
        assert language is not None
        assert event.evidence.start is not None and event.evidence.end is not None
        claims = casualty_claims(
            self.article,
            event.evidence.start,
            event.evidence.end,
            self.article_language,
            self.names,
        )
        for field_name, kind in (
            ("fatalities", CasualtyKind.killed),
            ("injured", CasualtyKind.injured),
        ):
            value = getattr(event, field_name)
            if value is None:
                continue
            stated = {
                figure
                for claim in claims
                if claim.kind == kind
                for figure in (claim.min, claim.max, (claim.min or 0) - 1)
                if figure
            }
            if value in stated or value in stated_figures(context, field_name, language):
                continue
            other = sorted({c.kind.value for c in claims if value in (c.min, c.max)})
            self._find(
                IssueKind.wrong_kind if other else IssueKind.number_not_stated,
                f"events[{i}].{field_name}",
                str(value),
                f"{value} is stated for {', '.join(other)}, not for {field_name}; use null"
                if other
                else f"{value} is not stated for {field_name} near the event's evidence "
                "(use null when no number is given)",
                IssueAction.cleared,
            )
            if self.lenient:
                setattr(event, field_name, None)

    def _type_fits(self, i: int, event: EventRecord) -> None:
        """A type that claims a physical event (attack, accident, ...) its evidence names no
        word of, where it names another such type's: corrected (a drone strike is an attack)."""
        if self.article_language is None:
            return
        implied = implied_type(
            EventType(event.event_type), event.evidence.text, self.article_language
        )
        if implied is None:
            return
        self._find(
            IssueKind.wrong_type,
            f"events[{i}].event_type",
            str(event.event_type),
            f"the evidence reports {implied.value}, not {event.event_type}",
            IssueAction.corrected,
            reask=False,
        )
        event.event_type = implied

    def _time_stated(self, i: int, event: EventRecord) -> None:
        """``time.text`` must be a time expression written in the article ("am Freitag"; not
        "nach Behördenangaben")."""
        text = event.time.text
        if not text or self.article_language is None:
            return
        languages = {self.article_language, self.output_language or self.article_language}
        if any(is_time_expression(text, language) for language in languages):
            return
        self._find(
            IssueKind.unsupported,
            f"events[{i}].time.text",
            text,
            f"{text!r} is not a time expression of the article",
            IssueAction.cleared,
            reask=False,
        )
        event.time.text = None

    def _description_supported(self, i: int, event: EventRecord, paragraph: str) -> None:
        """The description must say what its evidence (with its paragraph) says - the key
        points' support check; one that does not is replaced by the evidence sentence when the
        output is in the article's language, else flagged."""
        if self.article_language is None or self.output_language is None:
            return
        support = claim_support(
            event.description,
            paragraph,
            claim_language=self.output_language,
            passage_language=self.article_language,
            names=self.names,
        )
        if support.supported(KEY_POINT_MIN_SHARE):
            return
        same = self.output_language == self.article_language
        self._find(
            IssueKind.unsupported,
            f"events[{i}].description",
            event.description,
            f"{event.description!r} is not supported by its evidence: "
            f"{support.reason(KEY_POINT_MIN_SHARE)}",
            IssueAction.corrected if same else IssueAction.flagged,
            reask=False,
        )
        if same:
            event.description = event.evidence.text
