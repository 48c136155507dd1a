"""Detect whether an article is German or English."""

from __future__ import annotations

from summarizer.datamodel.errors import InputError
from summarizer.datamodel.types import LANGUAGES, Language

SAMPLE_CHARS = 1000  # about 150 words: plenty to tell languages apart; cost grows with length


def detect_language(text: str) -> str:
    """ISO 639-1 code of ``text``'s language (py3langid, trained on 97 languages), judged on
    its first :data:`SAMPLE_CHARS` characters."""
    import py3langid

    code, _score = py3langid.classify(text[:SAMPLE_CHARS])
    return str(code)


def article_language(text: str, declared: str | None = None) -> Language:
    """The article's language: ``declared`` if given, else detected; only de and en pass."""
    code = declared or detect_language(text)
    for supported in LANGUAGES:
        if code == supported:
            return supported
    if declared is not None:
        raise InputError(
            f"language {declared!r} is not supported: only German (de) and English (en)"
        )
    raise InputError(
        f"the article looks like language '{code}'; only German (de) and English (en) are "
        "supported (to process it anyway, declare de or en: --language for summarize, a "
        '"language" field in a batch JSONL record, language= in Python)'
    )
