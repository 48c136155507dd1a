"""``summarizer seeds check``: what can be verified of a gold label against its article.

* every gold quote and evidence is verbatim in the article; speakers and entity names occur in it;
* references exist in both languages, and every key fact has a text in each;
* each key fact's ``match`` groups hold in its own texts (and its ``contradicts`` do not), and
  the reference headline and summary of each language cover every fact (what the oracle is
  scored on);
* names are unambiguous: no alias of one entity (or quote speaker) also names another, and no
  alias is only a role word ("Ministerpräsident" would credit any premier).
"""

from __future__ import annotations

from itertools import combinations

from summarizer.datamodel.types import LANGUAGES
from summarizer.evals.facts import (
    groups_in,
    judge_fact,
    label_terms,
    prose_windows,
    scored_text,
    story_names,
    text_budget,
)
from summarizer.evals.gold import Seed
from summarizer.evals.names import ROLE_WORDS, name_matches
from summarizer.text.matching import locate, mentions


def _verbatim(where: str, passage: str, article: str) -> list[str]:
    if locate(passage, article) is None:
        return [f"{where}: not verbatim in the article: {passage!r}"]
    return []


def _names(seed: Seed) -> list[str]:
    label = seed.label
    problems: list[str] = []
    entities = [(e.name, [e.name, *e.aliases]) for e in label.entities]
    for (a, a_names), (b, b_names) in combinations(entities, 2):
        for alias in a_names:
            if name_matches(alias, b_names):
                problems.append(f"entity {a!r}: {alias!r} also names entity {b!r}")
    speakers = {q.speaker: [q.speaker, *q.speaker_aliases] for q in label.quotes}
    for (a, a_names), (b, b_names) in combinations(speakers.items(), 2):
        for alias in a_names:
            if name_matches(alias, b_names):
                problems.append(f"speaker {a!r}: {alias!r} also names speaker {b!r}")
    aliases = [alias for e in label.entities for alias in e.aliases]
    aliases += [alias for q in label.quotes for alias in q.speaker_aliases]
    for alias in sorted(set(aliases)):
        if all(word.casefold() in ROLE_WORDS for word in alias.split()):
            problems.append(f"alias {alias!r} is a role, not a name: it credits anyone in it")
    return problems


def _facts(seed: Seed) -> list[str]:
    label = seed.label
    problems: list[str] = []
    for i, fact in enumerate(label.key_facts):
        problems += _verbatim(f"key_facts[{i}].evidence", fact.evidence, seed.text)
        if set(fact.text) != set(label.reference_summary):
            problems.append(f"key_facts[{i}]: texts needed in {sorted(label.reference_summary)}")
        for lang, sentence in fact.text.items():
            if not groups_in(fact.match, sentence, lang):
                problems.append(f"key_facts[{i}] ({fact.id}): match misses its own {lang} text")
            if any(groups_in(alt, sentence, lang) for alt in fact.contradicts):
                problems.append(f"key_facts[{i}] ({fact.id}): its own {lang} text contradicts it")
    for lang, summary in label.reference_summary.items():
        reference = f"{label.headline.get(lang, '')}\n\n{summary}"
        text = scored_text(label.headline.get(lang, ""), summary, 10**6)
        windows = prose_windows(text, label_terms(label.key_facts))
        assert text_budget(reference) >= len(reference.strip())
        names = story_names(seed.text, label)
        for fact in label.key_facts:
            verdict = judge_fact(
                fact.match, fact.contradicts, windows, lang, fact.text.get(lang), names
            )
            if not verdict.covered:
                state = f"contradicts ({verdict.reason})" if verdict.contradicted else "misses"
                problems.append(f"the {lang} reference {state} key fact {fact.id!r}")
    return problems


def check_label(seed: Seed) -> list[str]:
    """Every problem of one label, each prefixed with the seed's id."""
    label, text = seed.label, seed.text
    problems: list[str] = []
    for language in LANGUAGES:
        if language not in label.reference_summary or language not in label.headline:
            problems.append(f"headline and reference_summary needed in {language}")
    problems += _facts(seed)
    for i, quote in enumerate(label.quotes):
        problems += _verbatim(f"quotes[{i}].text", quote.text, text)
        if not any(mentions(n, text) for n in [quote.speaker, *quote.speaker_aliases]):
            problems.append(f"quotes[{i}].speaker {quote.speaker!r} is not named in the article")
    for i, event in enumerate(label.events):
        problems += _verbatim(f"events[{i}].evidence", event.evidence, text)
    for i, entity in enumerate(label.entities):
        if not mentions(entity.name, text):
            problems.append(f"entities[{i}].name {entity.name!r} is not in the article")
    problems += _names(seed)
    return [f"{seed.id}: {p}" for p in problems]
