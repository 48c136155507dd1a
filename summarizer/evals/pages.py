"""Real publisher pages with a reference extraction (``../shared/corpus/news-pages``): loading
them, and scoring our HTML extraction against the reference.

Each page is ``<country>/<Publisher>_<date>.html.gz`` with ``.ref.json`` beside it (``title``,
``date``, ``teaser``, ``paragraphs`` as a publisher-specific parser extracted them). The texts
belong to their publishers: they are read from the corpus, never copied into the project.

Extraction is scored as bags of words: our text's words against the reference's teaser and
paragraphs (precision, recall, F1 over word counts, case-folded), the title by word F1 and exact
match, the date by its day.
"""

from __future__ import annotations

import gzip
import json
import os
import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from summarizer.datamodel.types import Language

#: Where the corpus sits beside a checkout; SUMMARIZER_PAGES_DIR overrides it.
DEFAULT_PAGES_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "news-pages"
COUNTRY_LANGUAGE: dict[str, Language] = {"de": "de", "us": "en"}
_WORD = re.compile(r"\w+")


def pages_dir() -> Path:
    return Path(os.environ.get("SUMMARIZER_PAGES_DIR") or DEFAULT_PAGES_DIR)


@dataclass(frozen=True)
class Page:
    """One saved page and its reference extraction."""

    path: Path

    @property
    def name(self) -> str:
        return self.path.name.removesuffix(".html.gz")

    @property
    def country(self) -> str:
        return self.path.parent.name

    @property
    def language(self) -> Language:
        return COUNTRY_LANGUAGE[self.country]

    @cached_property
    def html(self) -> str:
        return gzip.decompress(self.path.read_bytes()).decode("utf-8", errors="replace")

    @cached_property
    def reference(self) -> dict[str, Any]:
        return json.loads(self.path.with_name(f"{self.name}.ref.json").read_text("utf-8"))

    @property
    def reference_text(self) -> str:
        """Teaser and paragraphs, blank-line separated."""
        parts = [self.reference.get("teaser") or "", *self.reference.get("paragraphs", [])]
        return "\n\n".join(p for p in parts if p)


def load_pages(directory: Path | None = None) -> list[Page]:
    """Every page of the corpus, German first, by name."""
    root = directory or pages_dir()
    return [Page(p) for country in ("de", "us") for p in sorted((root / country).glob("*.html.gz"))]


def words(text: str) -> Counter[str]:
    return Counter(w.casefold() for w in _WORD.findall(text))


def bag_scores(predicted: str, reference: str) -> dict[str, float]:
    """Word-count precision, recall and F1 of ``predicted`` against ``reference``."""
    ours, theirs = words(predicted), words(reference)
    common = sum((ours & theirs).values())
    precision = common / sum(ours.values()) if ours else 0.0
    recall = common / sum(theirs.values()) if theirs else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def same_day(predicted: str | None, reference: str | None) -> bool | None:
    """Whether two dates name the same day (None when the reference has none)."""
    if not reference:
        return None
    return bool(predicted) and str(predicted)[:10] == str(reference)[:10]
