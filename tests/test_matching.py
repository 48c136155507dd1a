"""The grounding matcher, number reader and name matcher (pure functions)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from summarizer.text.matching import _normalize, locate, mentions

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

GERMAN = (
    "Pjöngjang/Moskau – Nordkoreas Machthaber Kim Jong Un hat Russland „bedingungslose "
    "Unterstützung“ zugesichert. Die Straße war gesperrt; Schoigu, der bis Mai 2024 Vertei-\n"
    "digungsminister war, reiste nach Pjöngjang."
)


def test_exact_passage_gets_offsets_into_the_original() -> None:
    span = locate("Kim Jong Un hat Russland", GERMAN)
    assert span is not None
    assert GERMAN[span.start : span.end] == span.text == "Kim Jong Un hat Russland"


def test_umlauts_and_eszett_match() -> None:
    span = locate("Die Straße war gesperrt", GERMAN)
    assert span is not None and span.text == "Die Straße war gesperrt"
    assert locate("Die Strasse war gesperrt", GERMAN) is None  # ß is not folded to ss


def test_german_quote_marks_match_straight_quotes() -> None:
    span = locate('Russland "bedingungslose Unterstützung" zugesichert', GERMAN)
    assert span is not None
    assert span.text == "Russland „bedingungslose Unterstützung“ zugesichert"


def test_case_and_whitespace_variants_match() -> None:
    span = locate("KIM  JONG\nUN hat   russland", GERMAN)
    assert span is not None and span.text == "Kim Jong Un hat Russland"


def test_dash_variants_match() -> None:
    span = locate("Pjöngjang/Moskau - Nordkoreas Machthaber", GERMAN)
    assert span is not None and span.text.startswith("Pjöngjang/Moskau –")


def test_word_hyphenated_across_a_line_break_matches_the_joined_word() -> None:
    span = locate("der bis Mai 2024 Verteidigungsminister war", GERMAN)
    assert span is not None
    assert span.text == "der bis Mai 2024 Vertei-\ndigungsminister war"


def test_edge_punctuation_and_quotes_of_the_needle_are_ignored() -> None:
    span = locate("„Die Straße war gesperrt.“", GERMAN)
    assert span is not None and span.text == "Die Straße war gesperrt"


def test_invented_text_is_not_located() -> None:
    assert locate("Kim hat Russland Raketen geliefert", GERMAN) is None
    assert locate("", GERMAN) is None
    assert locate("ab", GERMAN) is None


def test_hint_picks_the_nearest_occurrence() -> None:
    text = "Der Kreml schwieg. Später äußerte sich der Kreml. Dann wieder der Kreml."
    last = text.rindex("der Kreml")
    span = locate("der Kreml", text, hint=last)
    assert span is not None and span.start == last


def test_names_match_with_inflection_transliteration_and_compounds() -> None:
    assert mentions("Schoigu", GERMAN)
    assert mentions("Schoigus", GERMAN)
    assert mentions("Sergei Shoigu", GERMAN)
    assert mentions("North Korea", "Nordkorea unterstützt Moskau")
    assert not mentions("Wolodymyr Selenskyj", GERMAN)
    assert not mentions("the", GERMAN)


ARTICLE_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=300
)


@settings(max_examples=300, deadline=None)
@given(data=st.data(), text=ARTICLE_TEXT)
def test_any_located_span_satisfies_the_offset_invariant(data: st.DataObject, text: str) -> None:
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    needle = text[start:end]
    span = locate(needle, text)
    if span is not None:
        assert text[span.start : span.end] == span.text
        assert 0 <= span.start < span.end <= len(text)


@settings(max_examples=200, deadline=None)
@given(
    words=st.lists(
        st.sampled_from(["Kim", "Schoigu", "Straße", "„Krieg“", "über", "Moskau", "–", "2024"]),
        min_size=3,
        max_size=30,
    ),
    data=st.data(),
)
def test_a_verbatim_passage_of_words_is_always_found(words: list[str], data: st.DataObject) -> None:
    text = " ".join(words)
    i = data.draw(st.integers(0, len(words) - 2))
    j = data.draw(st.integers(i + 2, len(words)))
    needle = " ".join(words[i:j])
    span = locate(needle, text)
    if len(needle.strip(" .,;:!?\"'„“–")) >= 3:
        assert span is not None
        assert text[span.start : span.end] == span.text


@settings(max_examples=300, deadline=None)
@given(needle=st.text(max_size=80), article=st.text(max_size=400))
def test_matchers_never_raise_on_arbitrary_text(needle: str, article: str) -> None:
    span = locate(needle, article)
    assert span is None or article[span.start : span.end] == span.text
    assert isinstance(mentions(needle, article), bool)


NAME_PARTS = ["Nordkorea", "Korea", "ore", "Kim", "kims", "Xi", "xin", "un", "Schoigu", "Shoigu"]
NAME_PARTS += ["Straße", "STRASSE", "Moskau", "Mosk", "kau", "of", "Sergej", "Sergei", "al"]


@settings(max_examples=300, deadline=None)
@given(
    name=st.lists(st.sampled_from(NAME_PARTS), max_size=3).map(" ".join),
    article=st.lists(st.sampled_from([*NAME_PARTS, "der", ",", ".", "\n"]), max_size=40).map(
        " ".join
    ),
)
def test_the_mentions_shortcut_agrees_with_the_full_definition(name: str, article: str) -> None:
    """mentions() skips work when it can; the answer must not change."""
    from summarizer.text.matching import (
        _NAME_STOPWORDS,
        _WORD,
        _article_words,
        acronym,
        word_matches,
    )

    words = [w.casefold() for w in _WORD.findall(name)]
    significant = [w for w in words if len(w) >= 2 and w not in _NAME_STOPWORDS]
    candidates = _article_words(article)
    short = acronym(name)
    by_initials = short is not None and short in candidates
    expected = by_initials or any(word_matches(w, candidates) for w in significant)
    assert mentions(name, article) == expected


def _fold_one_character_at_a_time(text: str) -> tuple[str, list[int]]:
    """The folding rules written out plainly: the oracle for the bulk folding in grounding."""
    quotes, dashes = "\"'`´„“”‟«»‹›‚‘’‛", "-‐‑‒–—―−"
    out: list[str] = []
    index: list[int] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "\u00ad":
            i += 1
        elif ch in dashes:
            j = i + 1
            while j < n and text[j].isspace():
                j += 1
            if (
                "\n" in text[i + 1 : j]
                and i
                and text[i - 1].isalpha()
                and j < n
                and text[j].islower()
            ):
                i = j
            else:
                out.append("-")
                index.append(i)
                i += 1
        elif ch.isspace():
            j = i
            while j < n and text[j].isspace():
                j += 1
            if out and out[-1] != " ":
                out.append(" ")
                index.append(i)
            i = j
        elif ch in quotes:
            out.append('"')
            index.append(i)
            i += 1
        else:
            for folded in ch.lower():
                out.append(folded)
                index.append(i)
            i += 1
    return "".join(out), index


@settings(max_examples=400, deadline=None)
@given(
    text=st.text(
        alphabet=st.one_of(
            st.characters(codec="utf-8", exclude_categories=("Cs",)),
            st.sampled_from("İΣẞ\u00ad\n\t -–„“»'ÄÖÜß"),
        ),
        max_size=200,
    )
)
def test_bulk_folding_equals_folding_one_character_at_a_time(text: str) -> None:
    assert _normalize(text) == _fold_one_character_at_a_time(text)


def test_folding_of_a_real_article_equals_folding_one_character_at_a_time() -> None:
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        assert _normalize(text) == _fold_one_character_at_a_time(text), path.name
