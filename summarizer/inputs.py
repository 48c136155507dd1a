"""Read an article from bytes (a file, standard input, a batch record) into plain text.

Decoding: UTF-8 (with or without BOM); UTF-16/32 with a BOM, or UTF-16 without one when the
NUL-byte pattern says so; anything else that is not binary is read as Windows-1252 (a superset of
the printable Latin-1 range, the usual legacy encoding of German text). Binary data (NUL bytes
that are not UTF-16, or many control characters) is refused with :class:`InputError`.

HTML (a saved news page) is reduced to the article text with trafilatura, keeping title and
date; Markdown and plain text pass through unchanged.

:func:`article_request` turns a text (and what is known of it) into the
:class:`~summarizer.datamodel.request.ArticleRequest` the pipeline takes: every entry point (API,
CLI, batch, eval runs) builds it there, once.
"""

from __future__ import annotations

import codecs
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from summarizer.datamodel.errors import InputError
from summarizer.datamodel.request import ArticleRequest, Published, check_article
from summarizer.datamodel.types import Language
from summarizer.text.language import article_language

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
#: Share of control characters (other than tab/newline/CR/form feed) above which data is binary.
MAX_CONTROL_SHARE = 0.01

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_HTML_START = re.compile(rb"^\s*(<!doctype\s+html|<html|<head|<body|<article)", re.IGNORECASE)


@dataclass(frozen=True)
class Article:
    """Article text plus what the input said about it (a page's title and date)."""

    text: str
    title: str | None = None
    date: str | None = None


def decode_bytes(data: bytes, where: str = "the input") -> str:
    """Decode article bytes into text (see the module docstring); refuse binary data."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strict_decode(data[len(bom) :], encoding, where)
    if b"\x00" in data:
        encoding = _utf16_without_bom(data)
        if encoding is None:
            raise InputError(f"{where} is a binary file, not text")
        return _strict_decode(data, encoding, where)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    return _refuse_binary(text, where)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 byte order when NULs sit (almost) only at even or only at odd positions."""
    sample = data[:4096]
    if len(sample) < 16 or len(sample) % 2:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) // 2
    if odd_nuls > 0.3 * half and even_nuls == 0:
        return "utf-16-le"
    if even_nuls > 0.3 * half and odd_nuls == 0:
        return "utf-16-be"
    return None


def _strict_decode(data: bytes, encoding: str, where: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(f"{where} is not valid {encoding} text (byte {exc.start})") from None
    return _refuse_binary(text, where)


def _refuse_binary(text: str, where: str) -> str:
    """``text``, unless control characters say it was decoded from a binary file."""
    if len(_CONTROL.findall(text)) > MAX_CONTROL_SHARE * max(len(text), 1):
        raise InputError(f"{where} is a binary file, not text")
    return text


def looks_like_html(data: bytes, name: str = "") -> bool:
    """HTML by file suffix or by the first tag of the content."""
    return Path(name).suffix.lower() in HTML_SUFFIXES or bool(_HTML_START.match(data[:512]))


def extract_html(html: str, where: str = "the page") -> Article:
    """The article text of a saved news page (trafilatura), with its title and date."""
    import trafilatura

    try:
        document = trafilatura.bare_extraction(
            html, with_metadata=True, include_comments=False, favor_recall=True
        )
    except Exception as exc:  # trafilatura raises assorted parser errors on broken markup
        raise InputError(f"{where}: could not extract the article from the HTML ({exc})") from None
    text = getattr(document, "text", None) or ""
    if not text.strip():
        raise InputError(f"{where}: no article text found in the HTML")
    # trafilatura separates paragraphs with one newline; blank lines keep them paragraphs.
    text = re.sub(r"\n+", "\n\n", text.strip())
    return Article(
        text=text,
        title=getattr(document, "title", None) or None,
        date=getattr(document, "date", None) or None,
    )


def load_article(data: bytes, where: str, name: str = "") -> Article:
    """Decode ``data`` and, for HTML, extract the article; refuse unusable text."""
    if looks_like_html(data, name):
        article = extract_html(decode_bytes(data, where), where)
    else:
        article = Article(text=decode_bytes(data, where))
    check_article(article.text, where)
    return article


def read_input(source: str) -> Article:
    """The article in ``source``: a path, or ``-`` for standard input."""
    if source == "-":
        return load_article(sys.stdin.buffer.read(), "standard input")
    path = Path(source)
    if not path.exists():
        raise InputError(f"no such file: {source}")
    if not path.is_file():
        raise InputError(f"not a file: {source}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {source}: {exc.strerror}") from None
    return load_article(data, source, path.name)


def article_request(
    text: str,
    *,
    language: Language | None = None,
    output_language: Language | None = None,
    title: str | None = None,
    date: str | None = None,
) -> ArticleRequest:
    """The request for ``text``: the text checked (not empty, not too short), ``language``
    taken or detected (de and en only), the output language defaulting to the article's."""
    check_article(text)
    resolved = article_language(text, language)
    return ArticleRequest(text, resolved, output_language or resolved, Published.of(title, date))
