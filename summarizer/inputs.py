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
import io
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from summarizer.datamodel.errors import InputError
from summarizer.datamodel.request import ArticleRequest, Published, check_article
from summarizer.datamodel.types import LANGUAGES, Language
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
#: Compressed formats refused by name (gzip is unpacked).
_ARCHIVES = (
    (b"PK\x03\x04", "zip"),
    (b"BZh", "bzip2"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"\x28\xb5\x2f\xfd", "zstd"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
)
#: The most a gzip input may unpack to (a news page is well under 5 MB).
MAX_INFLATED_BYTES = 50 * 2**20
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
    refuse_non_article(html, text, where)
    # trafilatura separates paragraphs with one newline; blank lines keep them paragraphs.
    text = re.sub(r"\n+", "\n\n", text.strip())
    return Article(
        text=text,
        title=getattr(document, "title", None) or None,
        date=getattr(document, "date", None) or None,
    )


def decompress(data: bytes, where: str, name: str = "") -> tuple[bytes, str]:
    """``data`` unpacked when it is gzip (a saved ``.html.gz``), with ``name`` less its
    ``.gz``; other archives are refused as compressed (not as binary)."""
    if data.startswith(b"\x1f\x8b"):
        import gzip
        import zlib

        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as unpacked:
                inflated = unpacked.read(MAX_INFLATED_BYTES + 1)
        except (OSError, EOFError, zlib.error) as exc:
            raise InputError(f"{where} is a broken gzip file ({exc})") from None
        if len(inflated) > MAX_INFLATED_BYTES:
            raise InputError(
                f"{where} unpacks to more than {MAX_INFLATED_BYTES // 2**20} MB: not an article"
            )
        return inflated, name.removesuffix(".gz").removesuffix(".GZ")
    for magic, kind in _ARCHIVES:
        if data.startswith(magic):
            raise InputError(f"{where} is a compressed file ({kind}); unpack it first")
    return data, name


#: A page is an article when its text has a prose sentence (6+ words, ending like a
#: sentence); a login form or a JavaScript-only shell must also have this many prose words.
MIN_PROSE_WORDS_BESIDE_A_FORM = 40
_PROSE_END = re.compile(r"[.!?…][\"'“”‘’»«)\]]*$")
_PASSWORD_FIELD = re.compile(r"<input[^>]*type\s*=\s*[\"']?password", re.IGNORECASE)
_NEEDS_SCRIPT = re.compile(
    r"enable javascript|javascript (?:is )?(?:required|disabled)|turn on javascript|"
    r"javascript aktivieren|aktivieren sie javascript|javascript ist deaktiviert|"
    r"javascript einschalten",
    re.IGNORECASE,
)


def refuse_non_article(html: str, text: str, where: str) -> None:
    """Refuse a page whose extracted text is no article, naming what the page is: a login
    form or a page that needs JavaScript (with little prose beside it), or text with no
    prose sentence at all (a menu, a list of links)."""
    from summarizer.text.segmentation import sentences

    prose = [s for s in sentences(text) if len(s.split()) >= 6 and _PROSE_END.search(s.strip())]
    words = sum(len(s.split()) for s in prose)
    if _PASSWORD_FIELD.search(html) and words < MIN_PROSE_WORDS_BESIDE_A_FORM:
        what = "a login page (a password form)"
    elif _NEEDS_SCRIPT.search(html) and words < MIN_PROSE_WORDS_BESIDE_A_FORM:
        what = "a page that shows its content only with JavaScript"
    elif not prose:
        what = "no article text (no sentence of prose)"
    else:
        return
    found = " ".join(text.split())
    found = found if len(found) <= 80 else f"{found[:77]}..."
    raise InputError(f"{where}: {what}, not an article; found: {found!r}")


def load_article(data: bytes, where: str, name: str = "") -> Article:
    """Decode ``data`` (unpacked first when gzip) and, for HTML, extract the article; refuse
    unusable text."""
    data, name = decompress(data, where, name)
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
    if output_language is not None and output_language not in LANGUAGES:
        raise InputError(f"output_language must be 'de' or 'en', not {output_language!r}")
    resolved = article_language(text, language)
    return ArticleRequest(text, resolved, output_language or resolved, Published.of(title, date))
