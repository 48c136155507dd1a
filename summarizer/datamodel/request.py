"""What one summary is asked for: :class:`ArticleRequest` (the article, its language, the output
language resolved once, the headline and date it was published with)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from summarizer.datamodel.errors import InputError
from summarizer.datamodel.types import Language

MIN_ARTICLE_CHARS = 40


@dataclass(frozen=True)
class Published:
    """How the article was published besides its text: the headline and date a feed or a web
    page gives with it. The model sees them as context (the date dates the events, the headline
    says what the story is about); evidence still comes from the text alone."""

    title: str | None = None
    date: str | None = None

    @classmethod
    def of(cls, title: str | None, date: str | None) -> Published:
        """Each on one line (runs of whitespace, line breaks included, become one space); blank
        values count as absent."""
        return cls(" ".join((title or "").split()) or None, " ".join((date or "").split()) or None)

    @property
    def text(self) -> str:
        """Headline and date as plain text (empty when neither is known)."""
        return "\n".join(part for part in (self.title, self.date) if part)


UNPUBLISHED = Published()


def check_article(text: str, where: str = "the article") -> None:
    """Refuse empty or too-short text with a clear message."""
    if not text.strip():
        raise InputError(f"{where} is empty")
    if len(text.strip()) < MIN_ARTICLE_CHARS:
        raise InputError(
            f"{where} is too short to summarize ({len(text.strip())} characters; "
            f"at least {MIN_ARTICLE_CHARS} needed)"
        )


@dataclass(frozen=True)
class ArticleRequest:
    """One article to summarize, with everything that shapes its prompts.

    Evidence offsets index :attr:`text`. Build it with :func:`summarizer.inputs.article_request`,
    which checks the text and resolves both languages; the pipeline, the cache key, batch runs,
    the Batch API export and import, and the eval runner all take this one object.
    """

    text: str
    language: Language
    output_language: Language
    published: Published = UNPUBLISHED

    def with_text(self, text: str) -> ArticleRequest:
        """The same request for another text (a part of a long article, or the partial
        summaries its combine call reads)."""
        return replace(self, text=text)
