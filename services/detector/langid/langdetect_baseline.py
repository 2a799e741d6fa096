"""Plain seeded langdetect: the detector card's baseline, served by the detector as its
`langdetect` method (NEWSDESK_DETECTOR_METHOD=langdetect). 55 languages, no be/sr/kk
profiles, ~400 texts/s; no script or alphabet rules. Pure Python; never imports grpc."""

from __future__ import annotations

from services.common.text.lid import UNDETERMINED, Candidate, DetectionResult, LidSettings
from services.common.text.scripts import profile


class LangdetectDetector:
    """Plain langdetect, seeded so it is deterministic (it is random otherwise)."""

    model_id = "langdetect-1.0.9(seed=0)"

    def __init__(self, settings: LidSettings | None = None) -> None:
        from langdetect import DetectorFactory
        from langdetect.detector_factory import init_factory

        self.settings = settings or LidSettings()
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
