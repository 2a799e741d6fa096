"""The one registry of every `NEWSDESK_*` environment variable: its default, the values
it accepts, what it means and who reads it (in the manner of vLLM's `envs.py`).

The services' configuration reads a variable only through its entry here (the readers
of services/common/config.py look each name up), so a variable that is not listed
cannot be read. Variables built from a service prefix are listed expanded, one entry
per service. The defaults and ranges of the settings that bound a request come from
limits.py, the table that validation, `Info` and the CLI read too.
`tools/env_table.py` writes the README's configuration table from this registry and
`--check`s that the two agree. Imports nothing of the services or the client.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from newsdesk_shared.archive_env import archive_client_settings, archive_settings
from newsdesk_shared.limits import DETECTOR, SUMMARIZER, TRANSLATOR, Range
from newsdesk_shared.settings import Choice, ConfigError, Flag, Integer, Number, Setting, Text

__all__ = ["REGISTRY", "ConfigError", "Setting", "deprecated_in_use", "lookup", "read_by"]

SERVICES = ("detector", "translator", "summarizer", "archive")
MODEL_SERVICES = ("translator", "summarizer")
#: Who reads a variable: a service process; the client library and CLI ("client"); the
#: commands that run or build services, `newsdesk serve` and `models` ("tools").
READERS = (*SERVICES, "client", "tools")
DEFAULT_PORTS = {"detector": 50051, "translator": 50052, "summarizer": 50053, "archive": 50054}
_METHODS = ("combined", "langdetect")
_SPEC = "`ORG/NAME@REVISION`"
# The translator's default: Helsinki-NLP/opus-mt-tc-big-zle-en for both languages (one
# transformer-big model for the East Slavic languages; FLORES-200 devtest 39.2 uk / 35.2
# ru BLEU against 28.6 / 29.4 for opus-mt-uk-en / opus-mt-ru-en; CC-BY 4.0). Its commit
# is resolved at `models pull` and recorded in the model directory's refs/ (pin it with
# `@COMMIT`). It also reads Belarusian, at lower quality (see README). The fast
# option, at about a quarter of the compute: Helsinki-NLP/opus-mt-uk-en and
# Helsinki-NLP/opus-mt-ru-en@ed0317f25efd4f02ddd14874740600b267cb3a76.
TRANSLATOR_MODEL = "Helsinki-NLP/opus-mt-tc-big-zle-en@main"
# distilbart-cnn-12-6 at its 2023-03-21 commit. Alternatives: facebook/bart-large-cnn
# (higher ROUGE, ~1.24x slower) and sshleifer/distilbart-cnn-6-6 (faster).
SUMMARIZER_MODEL = "sshleifer/distilbart-cnn-12-6@81307c8ebc2324cb13840e70673a7d20408c7fff"


def prefix(service: str) -> str:
    """The prefix of a service's variables: NEWSDESK_TRANSLATOR_ for "translator"."""
    return f"NEWSDESK_{service.upper()}_"


def _everywhere() -> list[Setting[Any]]:
    """What every service process reads, whatever its prefix; and the model directory."""
    log_format = "JSON lines, console lines, or `auto`: console on a TTY, JSON otherwise"
    tracing = (
        "OpenTelemetry tracing of the three hops (the exporter from the standard `OTEL_*` "
        "variables; needs the `tracing` extra; only 1, true, yes, on turn it on)"
    )
    model_dir = (
        "the models, in the Hugging Face cache layout (fill it with `newsdesk models pull`); "
        "serving never downloads"
    )
    levels = ("DEBUG", "INFO", "WARNING", "ERROR")
    return [
        Choice("NEWSDESK_LOG_LEVEL", "INFO", "least severe level logged", SERVICES, choices=levels),
        Choice(
            "NEWSDESK_LOG_FORMAT", "auto", log_format, SERVICES, choices=("json", "console", "auto")
        ),
        Flag("NEWSDESK_TRACING", False, tracing, (*SERVICES, "client")),
        Text(
            "NEWSDESK_MODEL_DIR",
            "~/.cache/newsdesk/models",
            model_dir,
            (*MODEL_SERVICES, "tools"),
            form="path",
        ),
    ]


_SERVER = {
    "HOST": "address gRPC and `/metrics` listen on",
    "PORT": "gRPC port (0: any free port)",
    "METRICS_PORT": "Prometheus `/metrics` port (0: off; `newsdesk serve` leaves it off unless set)",
    "MAX_CONCURRENT_RPCS": "service calls in flight; more get RESOURCE_EXHAUSTED with RetryInfo "
    "at once (health and reflection are never counted nor refused); `Info` reports it",
    "MAX_MESSAGE_BYTES": "gRPC message cap, in bytes",
    "GRACE_SECONDS": "drain time on SIGTERM",
    "TLS_CERT": "PEM certificate chain: serve TLS only (with `TLS_KEY`)",
    "TLS_KEY": "PEM private key of `TLS_CERT`",
    "TLS_CLIENT_CA": "with TLS: require client certificates signed by this CA (mutual TLS)",
    "TOKEN_FILE": "accepted bearer tokens, one per line (`#` comments); re-read when it changes "
    "(contents, or its mode: `chmod 000` revokes too), and after a failed read on every call "
    "until it reads again; every RPC but health needs one. It is how an operator revokes: a "
    "file with no token (empty, or only comments) refuses every call, and so does a missing, "
    "unreadable or non-UTF-8 file (fail closed, one log line per change). At start it must "
    "hold a token (else exit 2, before any model loads)",
    "MAX_REQUEST_SECONDS": "the most one call may take, whatever deadline its caller sent — or "
    "none: a caller without a deadline is held to this one, so work that cannot finish by then "
    "is refused at admission (RESOURCE_EXHAUSTED, `DEADLINE_UNREACHABLE`) or dropped from the "
    "queue (DEADLINE_EXCEEDED)",
    "MAX_CONNECTION_AGE_SECONDS": "close each client connection after this age (0: never) so "
    "clients re-resolve and reach new replicas",
    "MAX_CONNECTION_AGE_GRACE_SECONDS": "how long in-flight calls on a connection closed for its "
    "age may still run",
    "PORT_FILE": "write the bound port here once serving (with `PORT=0`: any free port)",
}


def _server(service: str, metrics_port: int) -> list[Setting[Any]]:
    """The settings every gRPC service reads under its own prefix (ServerConfig)."""
    p, own, served, m = prefix(service), (service,), (service, "tools"), _SERVER
    files = [
        Text(p + name, "", m[name], own, shown="off", form="file")
        for name in ("TLS_CERT", "TLS_KEY", "TLS_CLIENT_CA", "TOKEN_FILE")
    ]
    return [
        Text(p + "HOST", "0.0.0.0", m["HOST"], own, form="host"),
        Integer(p + "PORT", DEFAULT_PORTS[service], m["PORT"], served, low=0, high=65535),
        Integer(p + "METRICS_PORT", metrics_port, m["METRICS_PORT"], served, low=0, high=65535),
        Integer(p + "MAX_CONCURRENT_RPCS", 256, m["MAX_CONCURRENT_RPCS"], own, low=1, high=10_000),
        Integer(
            p + "MAX_MESSAGE_BYTES", 2**24, m["MAX_MESSAGE_BYTES"], own, shown="16 MiB", low=1024
        ),
        Number(p + "GRACE_SECONDS", 20.0, m["GRACE_SECONDS"], own),
        *files,
        Number(p + "MAX_REQUEST_SECONDS", 300.0, m["MAX_REQUEST_SECONDS"], own, minimum=1.0),
        Number(p + "MAX_CONNECTION_AGE_SECONDS", 300.0, m["MAX_CONNECTION_AGE_SECONDS"], own),
        Number(
            p + "MAX_CONNECTION_AGE_GRACE_SECONDS", 30.0, m["MAX_CONNECTION_AGE_GRACE_SECONDS"], own
        ),
        Text(p + "PORT_FILE", "", m["PORT_FILE"], own, shown="off", form="path"),
    ]


_DETECTOR = {
    "METHOD": "the detector served: `combined` (the fastText, lingua and langdetect ensemble "
    "with script rules) or `langdetect` (plain seeded langdetect, the baseline)",
    "MAX_CHARS": "characters of one text; a longer one is INVALID_ARGUMENT, never truncated; "
    "`Info` reports it",
    "MAX_BATCH": "texts in one DetectLanguage call (more: INVALID_ARGUMENT); `Info` reports it",
    "MAX_QUEUE_CHARS": "characters of detection work queued or running, and the most one "
    "request may hold (about 3 s of detection on one core): a request over it is "
    "INVALID_ARGUMENT `REQUEST_TOO_LARGE` (split the texts), one past the queue's bound "
    "RESOURCE_EXHAUSTED with RetryInfo, one whose deadline the measured drain cannot meet "
    "RESOURCE_EXHAUSTED `DEADLINE_UNREACHABLE`",
    "MAX_QUEUE": "detection calls admitted at once (queued or running); more get "
    "RESOURCE_EXHAUSTED with RetryInfo",
    "DETECTION_THREADS": "threads that run detection calls (a call's texts run on one thread)",
    "WORKERS": "deprecated: the old name of `NEWSDESK_DETECTOR_DETECTION_THREADS`, read (with a "
    "warning in the log) when that is unset",
}


def _detector() -> list[Setting[Any]]:
    """The detector's own settings."""
    p, own, m = prefix("detector"), ("detector",), _DETECTOR
    threads = p + "DETECTION_THREADS"
    return [
        Choice(p + "METHOD", "combined", m["METHOD"], own, choices=_METHODS),
        Integer.of(p + "MAX_CHARS", DETECTOR.max_chars, m["MAX_CHARS"], own),
        Integer.of(p + "MAX_BATCH", DETECTOR.max_batch, m["MAX_BATCH"], own),
        Integer(p + "MAX_QUEUE_CHARS", 2_000_000, m["MAX_QUEUE_CHARS"], own, low=1000),
        Integer(p + "MAX_QUEUE", 32, m["MAX_QUEUE"], own, low=1, high=100_000),
        Integer(threads, 1, m["DETECTION_THREADS"], own, low=1, high=64, replaces=p + "WORKERS"),
        Integer(p + "WORKERS", 1, m["WORKERS"], own, low=1, high=64, replaced_by=threads),
    ]


_MODEL_SERVICE = {
    "ENGINE": "`ctranslate2` (CTranslate2, no torch) or `transformers` (PyTorch)",
    "COMPUTE_TYPE": "compute type of the weights: ctranslate2 serves `int8`, `int8_float32`, "
    "`float32`; transformers `float32`",
    "THREADS": "threads per model worker (0: the process's CPU quota — cgroup `cpu.max`, then "
    "the affinity mask — divided among the workers)",
    "WORKERS": "model workers per loaded model (batches decoded at once). With ctranslate2 they "
    "share one copy of the weights (`inter_threads`); with transformers each has its own "
    "replica, so the translator's default there is 1",
    "MAX_BATCH_TOKENS": "padded source tokens per model batch (longest × jobs × beams)",
    "MAX_BATCH_SEGMENTS": "rows per model batch, jobs × beams (a job always fits; 1: "
    "one-at-a-time serving)",
    "BATCH_MAX_WAIT_MS": "how long a batch that is not full may wait for more jobs: while they "
    "keep arriving (at most 10 ms after the newest), at most this long after the oldest",
    "MAX_QUEUE_TOKENS": "work queued or running, in token-beams — (source tokens + the most "
    "tokens a job may generate) × beams, so a beam-8 request costs twice a beam-4 one — and the "
    "most one request may cost (at least `MAX_BATCH_TOKENS`). A request over it is refused at "
    "once INVALID_ARGUMENT `REQUEST_TOO_LARGE`, saying the limit and into how many requests to "
    "split it (a brief: its estimated cost over all its rounds); one past the queue's bound "
    "gets RESOURCE_EXHAUSTED with a RetryInfo delay from the measured drain rate; one whose "
    "deadline the measured drain cannot meet (the work ahead plus its own) RESOURCE_EXHAUSTED "
    "`DEADLINE_UNREACHABLE`",
    "MAX_BATCH_MIB": "estimated working set of one model batch in MiB — rows (jobs × beams) × "
    "(source + new tokens) × the decoder's key/value bytes per token (its layers plus two "
    "transient ones), plus each row's vocabulary scores — so a beam batch of long sentences "
    "cannot push the process past its memory limit; each worker runs one batch (a job always "
    "fits; 0: no byte budget, tokens and rows only; unknown model shape: off, logged "
    "`batcher.byte_budget_off`)",
    "GROUP_LENGTHS": "fill a batch with the waiting jobs nearest the first job's length, not "
    "by arrival (still one job per request per round, so no request is starved): concurrent "
    "calls of mixed lengths pad less",
    "WARM_UP": "one short generation per model worker before the port is bound, so the first "
    "burst of calls does not pay the engine's first-call costs (logged `batcher.warmed_up`; "
    "never blocks the start more than 120 s per model)",
    "HOUSE_STYLE": "the place-name house style of the output (false: off)",
    "HOUSE_STYLE_FILE": "the house-style glossary, a `variant<TAB>preferred<TAB>source` TSV",
}


def _model_service(
    service: str, batch: tuple[int, int, int, int, int], beams: Range
) -> list[Setting[Any]]:
    """What the translator and the summarizer each read under their prefix: beams, the
    engine, the batcher's budgets (tokens, rows, queue) and the house style."""
    p, own, tooled, m = prefix(service), (service,), (service, "tools"), _MODEL_SERVICE
    tokens, rows, queue, mib, workers = batch
    unset = f"beams of a request that leaves `num_beams` unset (requests may ask {beams})"
    compute = "the engine's first (`int8`; `float32`)"
    style = "the shipped `services/common/text/glossaries/house_style_en.tsv`"
    return [
        Integer.of(p + "NUM_BEAMS", beams, unset, own),
        Choice(
            p + "ENGINE",
            "ctranslate2",
            m["ENGINE"],
            tooled,
            choices=("ctranslate2", "transformers"),
        ),
        Choice(
            p + "COMPUTE_TYPE",
            "",
            m["COMPUTE_TYPE"],
            tooled,
            shown=compute,
            choices=("int8", "int8_float32", "float32"),
        ),
        Integer(p + "THREADS", 0, m["THREADS"], tooled, low=0, high=256),
        Integer(p + "WORKERS", workers, m["WORKERS"], own, low=1, high=64),
        Integer(p + "MAX_BATCH_TOKENS", tokens, m["MAX_BATCH_TOKENS"], own, low=64),
        Integer(p + "MAX_BATCH_SEGMENTS", rows, m["MAX_BATCH_SEGMENTS"], own, low=1, high=1024),
        Number(p + "BATCH_MAX_WAIT_MS", 50.0, m["BATCH_MAX_WAIT_MS"], own),
        Integer(p + "MAX_QUEUE_TOKENS", queue, m["MAX_QUEUE_TOKENS"], own, low=64),
        Integer(p + "MAX_BATCH_MIB", mib, m["MAX_BATCH_MIB"], own, low=0, high=65_536),
        Flag(p + "WARM_UP", True, m["WARM_UP"], own),
        Flag(p + "GROUP_LENGTHS", True, m["GROUP_LENGTHS"], own),
        Flag(p + "HOUSE_STYLE", True, m["HOUSE_STYLE"], own),
        Text(p + "HOUSE_STYLE_FILE", "", m["HOUSE_STYLE_FILE"], own, shown=style, form="file"),
    ]


_TRANSLATOR = {
    "MAX_CHARS": "characters of one document (more: INVALID_ARGUMENT, never truncated); `Info` "
    "reports it",
    "MAX_BATCH": "documents in one Translate call; `Info` reports it",
    "PLAUSIBILITY": "the plausibility gate: `retry` a failing segment once with beam search, "
    "`flag` it without a retry, or `off`",
    "CACHE_MB": "the translation cache's bound in MiB (0: off)",
    "TERMS": "protected terms (names, units, acronyms) masked through the model (false: off)",
    "TERMS_FILE": "the protected-term glossary, a `language<TAB>pattern<TAB>english<TAB>source` "
    "TSV",
    "NAMES": "the entity layer: `glossary` masks the names with an established spelling (the "
    "names glossary, per-request `extra_names`) through the model, `all` every name found "
    "(transliterated ones too), `off` finds none; found names are reported either way",
    "NAMES_FILE": "the names glossary, a `language<TAB>lemma<TAB>english<TAB>kind<TAB>source` TSV",
    "VERBATIM": "links, e-mail addresses, @mentions, #hashtags, emoji and inline code masked "
    "through the model and restored byte for byte, in place (false: left to the model)",
    "SHORTLIST": "decode over a target-vocabulary shortlist (CTranslate2 `use_vmap`: the "
    "`vmap.txt` that `newsdesk models shortlist` writes into the conversion; the start fails if "
    "it is missing). Off by default: its quality needs real weights to judge",
}


def _translator() -> list[Setting[Any]]:
    """The translator's own settings."""
    p, own, m = prefix("translator"), ("translator",), _TRANSLATOR
    terms = "the shipped `services/common/text/glossaries/terms_uk_ru.tsv`"
    names = "the shipped `services/common/text/glossaries/names_en.tsv`"
    models = [
        Text(
            f"{p}MODEL_{lang.upper()}",
            TRANSLATOR_MODEL,
            f"the {lang}→en model (a commit pins it; a branch is resolved at `models pull`)",
            (*own, "tools"),
            form=_SPEC,
        )
        for lang in ("uk", "ru")
    ]
    return [
        *models,
        Integer.of(p + "MAX_CHARS", TRANSLATOR.max_chars, m["MAX_CHARS"], own),
        Integer.of(p + "MAX_BATCH", TRANSLATOR.max_batch, m["MAX_BATCH"], own),
        Choice(
            p + "PLAUSIBILITY", "retry", m["PLAUSIBILITY"], own, choices=("retry", "flag", "off")
        ),
        Integer(p + "CACHE_MB", 64, m["CACHE_MB"], own),
        Flag(p + "TERMS", True, m["TERMS"], own),
        Text(p + "TERMS_FILE", "", m["TERMS_FILE"], own, shown=terms, form="file"),
        Choice(p + "NAMES", "glossary", m["NAMES"], own, choices=("glossary", "all", "off")),
        Text(p + "NAMES_FILE", "", m["NAMES_FILE"], own, shown=names, form="file"),
        Flag(p + "VERBATIM", True, m["VERBATIM"], own),
        Flag(p + "SHORTLIST", False, m["SHORTLIST"], (*own, "tools")),
    ]


def _summarizer() -> list[Setting[Any]]:
    """The summarizer's own settings: its model, text cap and SummarizeOptions defaults."""
    p, own = prefix("summarizer"), ("summarizer",)
    cap = "characters of one text (more: INVALID_ARGUMENT, never truncated); `Info` reports it"
    options = {
        "SUMMARY_WORDS": SUMMARIZER.summary_max_words,
        "HEADLINE_WORDS": SUMMARIZER.headline_max_words,
        "BULLETS": SUMMARIZER.bullet_count,
        "BULLET_WORDS": SUMMARIZER.bullet_max_words,
    }
    return [
        Text(p + "MODEL", SUMMARIZER_MODEL, "the summarization model", (*own, "tools"), form=_SPEC),
        Integer.of(p + "MAX_CHARS", SUMMARIZER.max_chars, cap, own),
        *(
            Integer.of(
                p + name,
                limit,
                f"`{limit.name}` of a request that leaves it unset ({limit.meaning}; "
                f"requests may ask {limit})",
                own,
            )
            for name, limit in options.items()
        ),
    ]


_CLIENT = {
    "ADDR": "where the client finds the service: `host:port`, `dns:///name:port` (balanced "
    "round-robin over every address) or `ipv4:a:port,b:port`",
    "NEWSDESK_TLS": "TLS with the system roots (1, true, yes)",
    "NEWSDESK_CA_FILE": "CA (PEM) that signed the services' certificates; turns TLS on",
    "NEWSDESK_CLIENT_CERT": "this client's certificate chain (PEM), for mutual TLS (with "
    "`NEWSDESK_CLIENT_KEY`)",
    "NEWSDESK_CLIENT_KEY": "the private key of `NEWSDESK_CLIENT_CERT`",
    "NEWSDESK_TLS_SERVER_NAME": "the name the certificate must carry, when it is not the "
    "address's host",
    "NEWSDESK_TOKEN": "bearer token sent on every call (`authorization: Bearer …`)",
    "NEWSDESK_TOKEN_FILE": "a file whose first token line (not blank, not `#`) is sent, when "
    "`NEWSDESK_TOKEN` is unset",
}


def _client() -> list[Setting[Any]]:
    """What the client library and CLI read (newsdesk_client/config.py)."""
    client, m = ("client",), _CLIENT
    addresses = [
        Text(f"{prefix(s)}ADDR", f"localhost:{port}", m["ADDR"], client, form="address")
        for s, port in DEFAULT_PORTS.items()
        if s != "archive"  # optional: archive_client_settings
    ]
    files = [
        Text(name, "", m[name], client, shown="off", form="file")
        for name in ("NEWSDESK_CA_FILE", "NEWSDESK_CLIENT_CERT", "NEWSDESK_CLIENT_KEY")
    ]
    return [
        *addresses,
        Flag("NEWSDESK_TLS", False, m["NEWSDESK_TLS"], client),
        *files,
        Text(
            "NEWSDESK_TLS_SERVER_NAME",
            "",
            m["NEWSDESK_TLS_SERVER_NAME"],
            client,
            shown="the address's host",
            form="host",
        ),
        Text("NEWSDESK_TOKEN", "", m["NEWSDESK_TOKEN"], client, shown="none"),
        Text(
            "NEWSDESK_TOKEN_FILE", "", m["NEWSDESK_TOKEN_FILE"], client, shown="none", form="file"
        ),
    ]


def _registry() -> dict[str, Setting[Any]]:
    entries = [
        *_everywhere(),
        *_server("detector", 9101),
        *_server("translator", 9102),
        *_server("summarizer", 9103),
        *_server("archive", 9104),
        *_detector(),
        # Batch budgets (tokens, rows, queue) count beams: the translator's 8,192 tokens
        # are 16 sentences at the model's 512-token limit, in up to 32 rows (on CPU a step
        # costs little more for 20 rows than for 16); the summarizer's 16 rows are 4 full
        # 1,024-token windows at beam 4, and its queue ~200,000 characters. The byte budget:
        # the translator's 192 MiB × 2 workers keeps transformer-big under 800 MiB at the
        # peak (docs/benchmarks.md, issue 27); the summarizer's is off (0) until measured —
        # one beam-4 window of distilbart alone is estimated at ~283 MiB.
        *_model_service("translator", (8192, 32, 393_216, 192, 2), TRANSLATOR.num_beams),
        *_model_service("summarizer", (16_384, 16, 262_144, 0, 1), SUMMARIZER.num_beams),
        *_translator(),
        *_summarizer(),
        *archive_settings(),
        *_client(),
        *archive_client_settings(),
    ]
    registry: dict[str, Setting[Any]] = {}
    for entry in entries:
        if entry.name in registry:
            raise ValueError(f"{entry.name} is registered twice")
        registry[entry.name] = entry
    return registry


#: Every NEWSDESK_* variable, by name, in the order the table lists them.
REGISTRY: dict[str, Setting[Any]] = _registry()
K = TypeVar("K", bound=Setting[Any])


def lookup(name: str, kind: type[K]) -> K:
    """The registry's entry for `name`, which must be a `kind` setting. An unlisted
    name is a programming error: register the variable before reading it."""
    entry = REGISTRY.get(name)
    if entry is None:
        raise KeyError(f"{name} is not in the registry (newsdesk_shared/env.py): add it there")
    if not isinstance(entry, kind):
        raise TypeError(f"{name} is a {type(entry).__name__} setting, not {kind.__name__}")
    return entry


def read_by(reader: str) -> list[Setting[Any]]:
    """The entries `reader` (a service, "client" or "tools") reads."""
    return [entry for entry in REGISTRY.values() if reader in entry.readers]


def deprecated_in_use(environ: Mapping[str, str], readers: Iterable[str]) -> list[Setting[Any]]:
    """The replaced variables set in `environ` that one of `readers` reads."""
    wanted = set(readers)
    return [
        entry
        for entry in REGISTRY.values()
        if entry.replaced_by and wanted & set(entry.readers) and entry.raw(environ)
    ]
