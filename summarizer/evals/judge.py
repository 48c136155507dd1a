"""An optional LLM judge of faithfulness: is each summary sentence and key point supported by
the article?

Off by default. Configured with its own endpoint (``--judge-base-url``/``--judge-model``, or
``--judge-provider local`` for the embedded model), it reads the article and the numbered
claims of one prediction in one call, with a German or an English prompt (the article's
language; ``templates/judge_*.j2``), and answers a verdict per claim. ``faithfulness`` is the
share of claims judged supported; a claim the judge skipped counts as unsupported. Verdicts are
saved in the run and cached by judge model, prompt, article and claims.

:func:`validation_claims` builds what the judge is validated on: the gold reference sentences
(to be judged supported) and the same sentences with a number shifted, a name swapped or the
polarity turned (to be judged unsupported).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cache

import jinja2
from pydantic import BaseModel, Field

from summarizer.cache import ResultCache, result_key
from summarizer.datamodel.errors import ConfigurationError
from summarizer.datamodel.schemas import ArticleSummary
from summarizer.datamodel.settings import Settings
from summarizer.datamodel.types import LANGUAGES, Language
from summarizer.evals.degenerate import shift_numbers
from summarizer.evals.gold import GoldLabel, Seed
from summarizer.instructor_patches import prepared
from summarizer.pipeline.calls import instructor_call
from summarizer.providers import DirectBackend, make_backend, policy_for
from summarizer.text.segmentation import sentences

#: What a judge must reach on its own check, on true and on false claims, to gate anything.
RELIABLE_JUDGE = 0.8


class ClaimVerdict(BaseModel):
    """The judge's verdict on one claim of a prediction."""

    claim: str
    source: str = Field(description="Where the claim is from: summary or key_point.")
    supported: bool
    reason: str = ""


class _Verdict(BaseModel):
    claim: int = Field(description="The claim's number.")
    supported: bool
    reason: str = Field(max_length=300, description="The supporting sentence, or what is off.")


class JudgeReply(BaseModel):
    """What the judge is asked for."""

    verdicts: list[_Verdict]


def claims_of(pred: ArticleSummary) -> list[tuple[str, str]]:
    """(source, claim) pairs: every summary sentence, then every key point."""
    claims = [("summary", sentence) for sentence in sentences(pred.summary)]
    return claims + [("key_point", point.text) for point in pred.key_points]


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("summarizer.evals", "templates"),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
    )


def flattened_claim(claim: str) -> str:
    """A claim as the judge sees it: on one line, without anything that could pass for one of
    the prompt's markers (a claim is data, like the article)."""
    return " ".join(claim.replace("===", "= = =").split())


def judge_messages(article: str, language: Language, claims: list[str]) -> list[dict[str, str]]:
    """The judge's one message: instructions in the article's language, then article and
    claims, each fenced by markers whose hash is over both (so neither can forge an end
    marker), every claim flattened to one line."""
    flat = [flattened_claim(claim) for claim in claims]
    boundary = hashlib.sha256("\n".join([article, *flat]).encode()).hexdigest()[:12]
    text = (
        _environment()
        .get_template(f"judge_{language}.j2")
        .render(article=article, claims=flat, boundary=boundary)
    )
    return [{"role": "user", "content": text}]


def faithfulness(verdicts: list[ClaimVerdict]) -> float | None:
    """Share of claims judged supported (None without claims)."""
    return sum(v.supported for v in verdicts) / len(verdicts) if verdicts else None


class Judge:
    """Judges predictions with one configured endpoint; verdicts cached in ``cache``."""

    def __init__(self, settings: Settings, cache: ResultCache | None = None) -> None:
        self.settings = settings.model_copy(update={"constrain": False})
        backend = make_backend(self.settings)
        if isinstance(backend, DirectBackend):
            raise ConfigurationError(
                f"provider {backend.name!r} cannot judge: it writes summaries without a language "
                "model; judge with --judge-provider local, or an endpoint (--judge-base-url and "
                "--judge-model)"
            )
        self.backend = backend
        self.cache = cache
        self.model = self.backend.model

    async def judge_claims(
        self, article: str, language: Language, claims: list[tuple[str, str]]
    ) -> list[ClaimVerdict]:
        """The verdict on each ``(source, claim)`` against ``article``."""
        if not claims:
            return []
        texts = [claim for _, claim in claims]
        messages = judge_messages(article, language, texts)
        key = result_key(judge=self.backend.model, provider=self.backend.name, messages=messages)
        cached = self.cache.get_text(key) if self.cache is not None else None
        if cached is not None:
            return [ClaimVerdict.model_validate(v) for v in json.loads(cached)]
        reply, _report = await instructor_call(
            "judge",
            messages,
            prepared(JudgeReply),
            self.backend,  # type: ignore[arg-type]
            self.settings,
            policy_for(self.settings).max_reasks,
        )
        by_number = {v.claim: v for v in reply.verdicts}  # type: ignore[attr-defined]
        verdicts = []
        for number, (source, claim) in enumerate(claims, start=1):
            found = by_number.get(number)
            verdicts.append(
                ClaimVerdict(
                    claim=claim,
                    source=source,
                    supported=bool(found and found.supported),
                    reason=found.reason if found else "no verdict from the judge",
                )
            )
        if self.cache is not None:
            self.cache.put_text(key, json.dumps([v.model_dump() for v in verdicts]))
        return verdicts

    async def judge(
        self, article: str, language: Language, pred: ArticleSummary
    ) -> list[ClaimVerdict]:
        """The verdicts on every claim of ``pred``."""
        return await self.judge_claims(article, language, claims_of(pred))


def _swap_name(sentence: str, gold: GoldLabel) -> str | None:
    """``sentence`` with a gold name it contains replaced by another gold name of that type."""
    for entity in gold.entities:
        if entity.name in sentence:
            other = next(
                (e.name for e in gold.entities if e.type == entity.type and e.name != entity.name),
                None,
            )
            if other and other not in sentence:
                return sentence.replace(entity.name, other)
    return None


def validation_claims(gold: GoldLabel, language: Language) -> list[tuple[str, bool]]:
    """(claim, should be supported) pairs for one seed: the reference's sentences, and each
    turned false where a number can be shifted or a name swapped, plus the label's polarity
    facts stated the wrong way round."""
    claims: list[tuple[str, bool]] = []
    reference = gold.reference_summary.get(language)
    for sentence in sentences(reference or ""):
        claims.append((sentence, True))
        for wrong in (shift_numbers(sentence), _swap_name(sentence, gold)):
            if wrong and wrong != sentence:
                claims.append((wrong, False))
                break
    phrase = {"de": "Laut dem Artikel {}.", "en": "According to the article, {}."}[language]
    for fact in gold.key_facts:
        if fact.contradicts:
            words = " ".join(group[0] for group in fact.contradicts[0])
            claims.append((phrase.format(words), False))
    return claims


@dataclass
class Agreement:
    """How often a judge agreed with :func:`validation_claims`."""

    supported: int = 0  # true claims judged supported
    true_claims: int = 0
    rejected: int = 0  # false claims judged unsupported
    false_claims: int = 0
    mistakes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        def share(part: int, whole: int) -> str:
            return f"{part}/{whole} ({part / whole:.0%})" if whole else "0/0"

        lines = [
            f"true claims judged supported: {share(self.supported, self.true_claims)}",
            f"false claims judged unsupported: {share(self.rejected, self.false_claims)}",
        ]
        if self.mistakes:
            lines += ["mistakes:", *(f"  {m}" for m in self.mistakes)]
        return "\n".join(lines)


async def judge_agreement(judge: Judge, seeds: list[Seed]) -> Agreement:
    """Judge every seed's validation claims, in both languages, and count the agreement."""
    agreement = Agreement()
    for seed in seeds:
        for language in LANGUAGES:
            claims = validation_claims(seed.label, language)
            verdicts = await judge.judge_claims(
                seed.text, seed.label.language, [("check", claim) for claim, _ in claims]
            )
            for (claim, truth), verdict in zip(claims, verdicts, strict=True):
                if truth:
                    agreement.true_claims += 1
                    agreement.supported += verdict.supported
                else:
                    agreement.false_claims += 1
                    agreement.rejected += not verdict.supported
                if verdict.supported != truth:
                    expected = "supported" if truth else "unsupported"
                    agreement.mistakes.append(f"{seed.id} ({language}), {expected}: {claim}")
    return agreement


async def judge_quality(judge: Judge, seeds: list[Seed]) -> tuple[dict[str, float], bool]:
    """The judge on its own check over ``seeds`` (both languages): the shares of true claims
    accepted and of false claims caught, and whether both reach ``RELIABLE_JUDGE``."""
    agreement = await judge_agreement(judge, seeds)
    quality = {
        "true_accepted": agreement.supported / agreement.true_claims
        if agreement.true_claims
        else 0.0,
        "false_caught": agreement.rejected / agreement.false_claims
        if agreement.false_claims
        else 0.0,
    }
    return quality, min(quality.values()) >= RELIABLE_JUDGE
