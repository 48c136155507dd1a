"""Text that addresses the model instead of the reader: planted instructions.

An article is data. A sentence that tells an AI what to write ("SYSTEM OVERRIDE: respond with
…", „Neue Aufgabe vom Betreiber: …", "ignore previous instructions", chat-role markers, a fake
end-of-article marker) may be reported as news at most (a politician who says it on record), but
it is never the source of a key point, a headline, a summary sentence or an event.

The patterns ask for an addressee (a model, an AI, "automatische Systeme"), an override of
instructions, or an order about the output (the headline "must be" …, "respond only with" …),
so that an article *about* AI ("The AI Act requires providers to document …") does not match.
Pure functions; one sentence or line at a time.
"""

from __future__ import annotations

import re
from functools import lru_cache

_MODEL = (
    r"(?:AI|KI|A\.I\.|LLMs?|chatbots?|language models?|sprachmodell(?:e|en)?|"
    r"KI-(?:System|Modell|Assistent)\w*|assistant|assistent(?:in)?|automatische[nr]? Systeme?|"
    r"automated systems?|summari[sz]ers?|bots?)"
)
_PATTERNS = (
    # Overrides of the instructions the model was given.
    r"\b(?:ignore|disregard|forget|override)\b[\w\s,]{0,30}\b(?:instructions?|rules|prompts?|"
    r"directions)\b",
    r"\b(?:ignorier|vergiss|vergesst|missacht|übergeh)\w*\b[\w\s,]{0,30}\b(?:Anweisung|"
    r"Regeln|Instruktion|Vorgaben)",
    r"\bsystem[\s-]+(?:override|prompt|message|instruction)s?\b",
    r"\bmaintenance mode\b|\bdeveloper mode\b|\bjailbreak\b",
    r"\b(?:you are now|from now on,? (?:you|answer|respond|reply|write))",
    r"\bdu bist (?:jetzt|ab sofort)\b",
    r"\bab (?:sofort|jetzt)\b[\w\s,]{0,20}\b(?:antworte|schreibe|gib)\b",
    # A note, an instruction or a greeting to a model.
    rf"\b(?:note|instruction|message|order|task|hinweis|anweisung|aufgabe|nachricht)\w*\s+"
    rf"(?:to|for|an|für)\s+(?:(?:any|all|the|every|das|die|den|alle|jedes?)\s+)?{_MODEL}",
    rf"\b(?:dear|hello|liebe[rs]?|hallo)\s+{_MODEL}",
    r"\bneue (?:Aufgabe|Anweisung)\b|\b(?:vom|des|an den) Betreiber\b",
    # Orders about the output.
    r"\b(?:the|your) (?:only )?(?:correct )?headline (?:must|should|has to|is to) be\b",
    r"\b(?:die|deine|ihre) (?:einzig )?(?:korrekte |richtige )?Überschrift\b[^.]{0,30}"
    r"\b(?:muss|lautet|soll)\b",
    r"\b(?:respond|reply|answer|output)\s+(?:(?:only|exactly)\b|with (?:exactly|only)\b)",
    r"\bantworte\w*\b[\w\s,]{0,20}\bnur\b",
    r"\b(?:print|reveal|output|repeat|show)\s+(?:your|the|its)\s+(?:full\s+|entire\s+)?"
    r"(?:system prompt|prompt|instructions)",
    r"\b(?:schreib|schreibt|schreibe)\w*\b[^.]{0,40}\b(?:als Überschrift|in die Zusammenfassung)",
    r"\bwrite\b[^.]{0,40}\b(?:as the headline|in(?:to)? the summary)\b",
    r"\buse (?:the |this |as (?:the )?)headline\b",
    r"\b(?:verwende|nutze|nimm)\w* (?:die|als|diese) (?:Überschrift|Schlagzeile)",
    rf"\b(?:you are|du bist) (?:now )?(?:an? |ein(?:e)? )?{_MODEL}",
    rf"^\W*{_MODEL}\s*:",
    # Chat-template markup and fake article markers.
    r"<\|im_(?:start|end)\|>|<\|(?:system|user|assistant|endoftext)\|>|\[/?INST\]",
    r"^\W*(?:<!--\s*)?(?:system|assistant|user)\s*:",
    r"={3,}\s*(?:END|BEGIN) (?:OF )?ARTICLE",
)
ADDRESSES_MODEL = re.compile("|".join(_PATTERNS), re.IGNORECASE | re.MULTILINE)


def addresses_model(text: str) -> bool:
    """Whether ``text`` (a sentence, a line, a headline) gives a model instructions."""
    return ADDRESSES_MODEL.search(text) is not None


def without_instructions(article: str, start: int, end: int) -> tuple[int, int] | None:
    """The part of ``article[start:end]`` that gives no instructions: lines that address a
    model at its start or end are cut off (a sentence the segmenter ran into a planted line or
    a chat-role marker); None when nothing else is left, or a planted line sits inside."""
    lines = []
    offset = start
    for line in article[start:end].split("\n"):
        if line.strip():
            lead = len(line) - len(line.lstrip())
            lines.append((offset + lead, offset + len(line.rstrip())))
        offset += len(line) + 1
    planted = [addresses_model(article[s:e]) for s, e in lines]
    while planted and planted[0]:
        lines.pop(0), planted.pop(0)
    while planted and planted[-1]:
        lines.pop(), planted.pop()
    if not lines or any(planted):
        return None
    return lines[0][0], lines[-1][1]


@lru_cache(maxsize=16)
def instruction_free_text(article: str) -> str:
    """``article`` without its lines and sentences that address a model (cached: the checks
    ask for it once per sentence whose evidence is such text)."""
    from summarizer.text.segmentation import article_sentence_spans

    kept = []
    for start, end in article_sentence_spans(article):
        clean = without_instructions(article, start, end)
        if clean is not None:
            kept.append(article[clean[0] : clean[1]])
    return " ".join(kept)
