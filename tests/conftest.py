"""Shared fixtures: the ../shared eval material (skipped when absent) and server helpers."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from services.common.config import ServerConfig
from services.common.logs import configure_logging

# The services' own logging setup, so tests see the records production emits.
configure_logging(json=True, level="INFO")

# The archive's fixtures (a store on SQLite and on PostgreSQL, the service in-process).
pytest_plugins = ["tests.archive_fixtures"]

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("NEWSDESK_SHARED_DIR", REPO.parent / "shared"))


def shared_path(relative: str) -> Path:
    """A file under ../shared, or skip the test with the reason."""
    path = SHARED / relative
    if not path.exists():
        pytest.skip(f"{path} is absent: ../shared (the eval material) is not beside this clone")
    return path


def test_server_config(**overrides: object) -> ServerConfig:
    """A ServerConfig for tests: loopback, port 0 (never fixed ports), no metrics port."""
    values: dict[str, object] = dict(
        host="127.0.0.1",
        port=0,
        metrics_port=0,
        max_concurrent_rpcs=32,
        max_message_bytes=16 * 1024 * 1024,
        grace_seconds=10.0,
    )
    values.update(overrides)
    return ServerConfig(**values)  # type: ignore[arg-type]


test_server_config.__test__ = False  # type: ignore[attr-defined]


@pytest.fixture(scope="session")
def detector():
    """The real combined detector, loaded once per session."""
    from services.detector.langid.engine import LanguageDetector

    return LanguageDetector()


class Served:
    """A running test server and an open aio channel to it."""

    def __init__(self, running, channel) -> None:
        self.running = running
        self.channel = channel
        self.address = f"127.0.0.1:{running.port}"


def service_env(prefix: str, **values: object) -> dict[str, str]:
    """A service environment for tests: PREFIX_NAME=value for each keyword (upper-cased),
    loopback, port 0, no metrics port, one torch thread."""
    env = {f"{prefix}HOST": "127.0.0.1", f"{prefix}PORT": "0", f"{prefix}METRICS_PORT": "0"}
    env[f"{prefix}THREADS"] = "1"
    env.update({f"{prefix}{k.upper()}": str(v) for k, v in values.items()})
    return env


def detector_binding(detector, **limits):
    """The LanguageService binding over `detector`, built as the service builds it, and
    the Built (close() it)."""
    from services.detector.app import build
    from services.detector.config import DetectorConfig

    limits.setdefault("max_chars", 10_000)
    limits.setdefault("max_batch", 64)
    built = build(DetectorConfig.from_env(service_env("NEWSDESK_DETECTOR_", **limits)), detector)
    return built.bindings[0], built


async def serve(bindings, **config):
    """Start a real grpc.aio server on 127.0.0.1:0 and open a channel to it."""
    import grpc

    from services.common.serving.server import start_server

    running = await start_server(test_server_config(**config), bindings)
    channel = grpc.aio.insecure_channel(f"127.0.0.1:{running.port}")
    return Served(running, channel)


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory):
    """A local model directory holding the tiny test models (built once per session)."""
    from services.common.models.ct2_convert import convert
    from services.summarizer.build_local import build_bart
    from services.translator.build_local import build_marian

    path = tmp_path_factory.mktemp("models")
    for local in (build_marian(path, "tiny"), build_bart(path, "tiny")):
        for quantization in ("int8", "float32"):
            convert(local.spec, path, quantization=quantization)
    return path


# Every engine-backed fixture (and so every engine and service test using it) runs once
# per engine: the default (CTranslate2 int8) and transformers fp32.
ENGINE_PARAMS = ["ctranslate2", "transformers"]


@pytest.fixture(scope="session", params=ENGINE_PARAMS)
def engine_settings(request):
    """The engine under test, one thread (tests share 2 cores)."""
    from services.common.engines.base import EngineSettings

    return EngineSettings(request.param, threads=1)


@pytest.fixture(scope="session")
def tiny_marian_spec():
    """The spec of the tiny MarianMT model, serving both uk and ru."""
    from services.translator.build_local import TINY_SPEC

    return TINY_SPEC


@pytest.fixture(scope="session")
def translator(model_dir, tiny_marian_spec, engine_settings):
    """The document translator over the tiny MarianMT model, loaded through the same
    loader the service uses, on each engine."""
    from services.translator.loader import build_translator

    return build_translator(
        model_dir, {"uk": tiny_marian_spec, "ru": tiny_marian_spec}, engine_settings, num_beams=2
    )


def tiny_translator_env(model_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a translator process serving the tiny model (one thread,
    beam 2, JSON logs), plus `extra`."""
    from services.translator.build_local import TINY_SPEC

    return {
        "NEWSDESK_MODEL_DIR": str(model_dir),
        "NEWSDESK_TRANSLATOR_MODEL_UK": str(TINY_SPEC),
        "NEWSDESK_TRANSLATOR_MODEL_RU": str(TINY_SPEC),
        "NEWSDESK_TRANSLATOR_THREADS": "1",
        "NEWSDESK_TRANSLATOR_NUM_BEAMS": "2",
        "NEWSDESK_LOG_FORMAT": "json",
        **extra,
    }


def translator_binding(translator, **limits):
    """The TranslationService binding over `translator`, built as the service builds
    it (batchers included), and the Built (close() it)."""
    from services.translator.app import build
    from services.translator.build_local import TINY_SPEC
    from services.translator.config import TranslatorConfig

    limits.setdefault("max_chars", 50_000)
    limits.setdefault("max_batch", 8)
    # One model worker unless a test asks for more: the seams (tests.conftest.
    # WrappedEngine and its kin) script, gate or count the calls of one engine.
    limits.setdefault("workers", 1)
    env = service_env("NEWSDESK_TRANSLATOR_", **limits)
    env["NEWSDESK_TRANSLATOR_MODEL_UK"] = env["NEWSDESK_TRANSLATOR_MODEL_RU"] = str(TINY_SPEC)
    built = build(TranslatorConfig.from_env(env), translator)
    return built.bindings[0], built


def flores_documents(lang: str, count: int = 2) -> list[dict]:
    """The first `count` FLORES-200 devtest documents in `lang` (skips without ../shared)."""
    import json

    path = shared_path("eval/mt/flores200-devtest.docs.jsonl")
    docs = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            doc = json.loads(line)
            if doc["lang"] == lang:
                docs.append(doc)
            if len(docs) == count:
                break
    return docs


def long_document(language: str, min_chars: int) -> str:
    """A multi-paragraph document of at least min_chars characters of owned text."""
    from services.common.models.corpus import article

    parts = []
    total = 0
    n = 0
    while total < min_chars:
        part = article(language, 40 + n)
        parts.append(part)
        total += len(part) + 2
        n += 1
    return "\n\n".join(parts)


@pytest.fixture(scope="session")
def writer(model_dir, engine_settings):
    """The brief writer over the tiny BART model, loaded like the service loads it, on
    each engine."""
    from services.summarizer.build_local import TINY_SPEC
    from services.summarizer.loader import build_writer

    return build_writer(model_dir, TINY_SPEC, engine_settings)


def summarizer_binding(writer, detector, **limits):
    """The SummarizationService binding, built as the service builds it, and the Built."""
    from services.common.text.language import LanguageGate
    from services.summarizer.app import build
    from services.summarizer.build_local import TINY_SPEC
    from services.summarizer.config import SummarizerConfig

    limits.setdefault("max_chars", 60_000)
    limits.setdefault("num_beams", 2)
    env = service_env("NEWSDESK_SUMMARIZER_", **limits)
    env["NEWSDESK_SUMMARIZER_MODEL"] = str(TINY_SPEC)

    def detect(text: str) -> tuple[str, float, bool]:
        result = detector.detect(text)
        return result.language, result.confidence, result.reliable

    built = build(SummarizerConfig.from_env(env), writer, LanguageGate(detect))
    return built.bindings[0], built


@pytest.fixture
async def three_servers(detector, translator, writer):
    """The three services in-process (tiny models, the tests' limits), keyed "dt",
    "tr", "sm"; stopped after the test."""
    bindings = {
        "dt": detector_binding(detector),
        "tr": translator_binding(translator),
        "sm": summarizer_binding(writer, detector),
    }
    served = {}
    try:
        for key, (binding, _) in bindings.items():
            served[key] = await serve([binding])
        yield served
    finally:
        for s in served.values():
            await s.channel.close()
            await s.running.stop()
        for _, built in bindings.values():
            built.close()


def seed_article() -> str:
    """The seed brief's English article (skips without ../shared)."""
    seeds = sorted(shared_path("seed").glob("*.txt"))
    if not seeds:
        pytest.skip("../shared/seed holds no article")
    return seeds[0].read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def stack(model_dir, tmp_path_factory):
    """The three services as real processes (`python -m services.<name>`, as `newsdesk
    serve` and the containers run them) on free ports, serving the tiny models.
    Stopped with SIGTERM at the end; each must exit 0 after draining."""
    from services.summarizer.build_local import TINY_SPEC as BART
    from services.tools.local import LocalStack
    from services.translator.build_local import TINY_SPEC as MARIAN

    env = {
        "NEWSDESK_MODEL_DIR": str(model_dir),
        "NEWSDESK_TRANSLATOR_MODEL_UK": str(MARIAN),
        "NEWSDESK_TRANSLATOR_MODEL_RU": str(MARIAN),
        "NEWSDESK_SUMMARIZER_MODEL": str(BART),
        "NEWSDESK_TRANSLATOR_NUM_BEAMS": "2",
        "NEWSDESK_SUMMARIZER_NUM_BEAMS": "2",
        "NEWSDESK_LOG_FORMAT": "json",
        "NEWSDESK_TRANSLATOR_THREADS": "1",
        "NEWSDESK_SUMMARIZER_THREADS": "1",
    }
    # Port 0: each service binds a free port and reports it through a port file.
    ports = {name: 0 for name in ("detector", "translator", "summarizer")}
    running = LocalStack(ports, env, log_dir=tmp_path_factory.mktemp("logs"))
    running.start(timeout=300)
    yield running
    codes = running.stop()
    assert all(code == 0 for code in codes.values()), codes


def stack_config(stack):
    """A ClientConfig for the `stack` fixture's three services (generous deadlines)."""
    from newsdesk_client import ClientConfig

    return ClientConfig(
        detector=stack.address("detector"),
        translator=stack.address("translator"),
        summarizer=stack.address("summarizer"),
        translate_timeout=120,
        summarize_timeout=120,
    )


def stack_args(stack) -> list[str]:
    """The CLI's address flags for the `stack` fixture's three services."""
    return [f"--{name}={stack.address(name)}" for name in ("detector", "translator", "summarizer")]


class WrappedEngine:
    """The real (tiny) engine behind a test seam: counts model calls and keeps the
    texts it was given; subclasses change what generate does around the real call
    (hold it, rewrite its output)."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.model = inner.model
        self.max_source_tokens = inner.max_source_tokens
        self.footprint = getattr(inner, "footprint", None)
        self.calls = 0
        self.seen: list[str] = []

    def count_tokens(self, text: str) -> int:
        return self.inner.count_tokens(text)

    def generate(self, inputs, spec, should_stop=None, on_done=None):
        self.calls += 1
        self.seen += list(inputs)
        return self.inner.generate(inputs, spec, should_stop, on_done)


class SlowDetector:
    """The real detector, holding each batch for `delay` seconds (to test draining and
    overload)."""

    def __init__(self, inner, delay: float) -> None:
        self.inner, self.delay = inner, delay
        self.model_id = inner.model_id

    def supported_languages(self):
        return self.inner.supported_languages()

    def detect_many(self, texts, top_k=3):
        import time

        time.sleep(self.delay)
        return self.inner.detect_many(texts, top_k)


def status_detail(err, kind):
    """The first google.rpc.Status detail of type `kind` in a failed call, or None
    (read with grpcio-status, as clients should)."""
    from grpc_status import rpc_status

    status = rpc_status.from_call(err)
    for detail in status.details if status is not None else ():
        message = kind()
        if detail.Unpack(message):
            return message
    return None


def pytest_sessionstart(session) -> None:
    """Print the random-order seed even under -q (replay: -p randomly --randomly-seed=N)."""
    seed = getattr(session.config.option, "randomly_seed", None)
    if seed is not None:
        print(f"\nrandom test order: --randomly-seed={seed}")
