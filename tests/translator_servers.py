"""Helpers the translator's integration tests share: a real translator service over a
DocumentTranslator (`serving`), a translator over a seam engine (`over`), and the seam
that rewrites the real engine's output (`Rewriting`)."""

from __future__ import annotations

import contextlib
import dataclasses

from newsdesk.translation.v1 import translation_pb2_grpc
from services.common.engines.base import Generated, GenerationSpec
from services.common.text.language import LanguageGate
from services.translator.pipeline import DocumentTranslator
from tests.conftest import WrappedEngine, serve, translator_binding


class Rewriting(WrappedEngine):
    """The real engine runs (and is counted); each output's text is then replaced by
    rewrite(input, output, spec) — a stand-in for what a trained model would write."""

    def rewrite(self, source: str, output: str, spec: GenerationSpec) -> str:
        raise NotImplementedError

    def generated(self, source: str, result: Generated, spec: GenerationSpec) -> Generated:
        return dataclasses.replace(result, text=self.rewrite(source, result.text, spec))

    def generate(self, inputs, spec, should_stop=None, on_done=None):
        results = super().generate(inputs, spec, should_stop, None)
        out = [self.generated(t, r, spec) for t, r in zip(inputs, results, strict=True)]
        for row, result in enumerate(out):
            if on_done is not None:
                on_done(row, result)
        return out


@contextlib.asynccontextmanager
async def serving(translator: DocumentTranslator, **env):
    """A real translator service over `translator` (grpc.aio on 127.0.0.1:0, built as
    the service builds it; `env`: its settings): yields a stub, stops it after. No
    warm-up generation unless `warm_up=True`: the seams here script or count every
    call (tests/unit/test_warm_up.py covers the warm-up)."""
    env.setdefault("warm_up", False)
    binding, runner = translator_binding(translator, **env)
    s = await serve([binding])
    try:
        yield translation_pb2_grpc.TranslationServiceStub(s.channel)
    finally:
        await s.channel.close()
        await s.running.stop()
        runner.close()


def over(engine, num_beams: int = 4) -> DocumentTranslator:
    """A translator over `engine` (a seam around the tiny model's engine) for uk and
    ru, every text taken as uk."""
    gate = LanguageGate(lambda t: ("uk", 1.0, True))
    return DocumentTranslator({"uk": engine, "ru": engine}, gate, num_beams=num_beams)


class Copying(Rewriting):
    """A stand-in for a trained model around the real (tiny) engine: each output is its
    input copied, placeholders kept where they stand (as opus-mt copies unknown
    tokens), every other Cyrillic word transliterated into Latin letters (random
    weights carry no name, or anything else, through)."""

    def rewrite(self, source, output, spec):
        import iuliia
        from translitua import UkrainianKMU, translit

        return iuliia.WIKIPEDIA.translate(translit(source, UkrainianKMU))
