"""Read an article from a file or standard input into text."""

from __future__ import annotations

import sys
from pathlib import Path

from summarizer.errors import InputError

MIN_ARTICLE_CHARS = 40


def read_article(source: str) -> str:
    """The text of ``source`` (a path, or ``-`` for standard input), decoded as UTF-8."""
    if source == "-":
        data = sys.stdin.buffer.read()
        where = "standard input"
    else:
        path = Path(source)
        if not path.exists():
            raise InputError(f"no such file: {source}")
        if not path.is_file():
            raise InputError(f"not a file: {source}")
        data = path.read_bytes()
        where = source
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{where} is not valid UTF-8 text (byte {exc.start})") from None
    check_article(text, where)
    return text


def check_article(text: str, where: str = "the article") -> None:
    """Refuse empty or too-short text with a clear message."""
    if not text.strip():
        raise InputError(f"{where} is empty")
    if len(text.strip()) < MIN_ARTICLE_CHARS:
        raise InputError(
            f"{where} is too short to summarize ({len(text.strip())} characters; "
            f"at least {MIN_ARTICLE_CHARS} needed)"
        )
