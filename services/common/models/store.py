"""Model specs, the local model directory, and `models pull`.

Models live in a local directory in the Hugging Face cache layout
(`models--ORG--NAME/snapshots/<commit>/`, `refs/<branch>` holding the commit), which is
what huggingface_hub.snapshot_download writes. Serving only reads that directory and
never downloads; `pull` fills it on a machine with internet access. Models built
locally for tests and benchmarks are written in the same layout, so they go through
exactly the loading code users run. Nothing here imports grpc.
"""

from __future__ import annotations

import json
import os
import re
import socket
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

_SHA = re.compile(r"^[0-9a-f]{40}$")
HUB_HOST = "huggingface.co"
# Only what transformers needs to load a model and its tokenizer.
PULL_PATTERNS = [
    "*.json",
    "*.spm",
    "*.model",
    "*.txt",
    "*.safetensors",
    "pytorch_model.bin",
]


@dataclass(frozen=True)
class ModelRef:
    """Which weights answered: id, revision (commit) and engine name (with its compute
    type, e.g. "transformers-float32", "ctranslate2-int8_float32")."""

    id: str
    revision: str
    engine: str


def default_model_dir(environ: Mapping[str, str]) -> Path:
    """NEWSDESK_MODEL_DIR, or ~/.cache/newsdesk/models."""
    raw = environ.get("NEWSDESK_MODEL_DIR", "").strip()
    return Path(raw).expanduser() if raw else Path.home() / ".cache" / "newsdesk" / "models"


class ModelNotFound(RuntimeError):
    """The model is not in the local model directory."""


class HubUnreachable(RuntimeError):
    """`models pull` cannot reach the Hugging Face hub (offline)."""


@dataclass(frozen=True)
class ModelSpec:
    """A model id and its revision (a commit, or a branch resolved at pull time)."""

    repo_id: str
    revision: str = "main"

    @classmethod
    def parse(cls, value: str, *, name: str = "model") -> ModelSpec:
        """Parse `ORG/NAME@REVISION` (revision optional); ValueError names `name`."""
        repo_id, _, revision = value.strip().partition("@")
        if not re.fullmatch(r"[\w.-]+/[\w.-]+", repo_id):
            raise ValueError(f"{name}={value!r} is not ORG/NAME[@REVISION]")
        return cls(repo_id, revision or "main")

    @property
    def pinned(self) -> bool:
        """True when the revision is a full commit id."""
        return bool(_SHA.match(self.revision))

    def __str__(self) -> str:
        return f"{self.repo_id}@{self.revision}"


def repo_dir(model_dir: Path, spec: ModelSpec) -> Path:
    """The folder of a model in the cache layout."""
    return model_dir / ("models--" + spec.repo_id.replace("/", "--"))


@dataclass(frozen=True)
class LocalModel:
    """A model found on disk: where, and the commit it is at."""

    spec: ModelSpec
    path: Path
    commit: str


def locate(model_dir: Path, spec: ModelSpec) -> LocalModel:
    """Find a model's snapshot on disk, resolving a branch through refs/.

    Raises ModelNotFound with the command that fetches it.
    """
    base = repo_dir(model_dir, spec)
    commit = spec.revision
    ref = base / "refs" / spec.revision
    if not spec.pinned and ref.is_file():
        commit = ref.read_text(encoding="utf-8").strip()
    path = base / "snapshots" / commit
    if not (path / "config.json").is_file():
        raise ModelNotFound(
            f"model {spec} is not in {model_dir} (looked for {path}). Fetch it on a machine "
            f"with internet access: `newsdesk models pull --model-dir {model_dir}`; or, to "
            "watch the chain work offline on tiny random-weight models (noise), "
            "`newsdesk serve --local-models` (they are built in their own folder)"
        )
    return LocalModel(spec, path, commit)


def check_hub_reachable(timeout: float = 5.0) -> None:
    """Fail fast (HubUnreachable) when offline, instead of hanging in a download."""
    if os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in {"1", "true", "yes", "on"}:
        raise HubUnreachable("HF_HUB_OFFLINE is set: this process must not download models")
    try:
        with socket.create_connection((HUB_HOST, 443), timeout=timeout):
            pass
    except OSError as exc:
        raise HubUnreachable(
            f"cannot reach https://{HUB_HOST} ({exc.__class__.__name__}: {exc}): this machine "
            "is offline. Pull the models on a machine with internet access and copy the model "
            "directory here, or build the offline test models with `newsdesk models build-local`."
        ) from None


def pull(spec: ModelSpec, model_dir: Path, *, timeout: float = 5.0) -> LocalModel:
    """Download one model snapshot into model_dir (cache layout) and return it."""
    check_hub_reachable(timeout)
    from huggingface_hub import snapshot_download

    path = snapshot_download(
        repo_id=spec.repo_id,
        revision=spec.revision,
        cache_dir=str(model_dir),
        allow_patterns=PULL_PATTERNS,
    )
    return LocalModel(spec, Path(path), Path(path).name)


def write_snapshot_ref(model_dir: Path, spec: ModelSpec, commit: str) -> Path:
    """Create the snapshot folder and the ref for a locally built model; return the folder."""
    base = repo_dir(model_dir, spec)
    snapshot = base / "snapshots" / commit
    snapshot.mkdir(parents=True, exist_ok=True)
    (base / "refs").mkdir(parents=True, exist_ok=True)
    (base / "refs" / spec.revision).write_text(commit, encoding="utf-8")
    return snapshot


# CTranslate2 conversions live beside the snapshots they were made from:
#   models--ORG--NAME/ctranslate2/<commit>-<quantization>/
# with the converted weights, the tokenizer files serving needs, and newsdesk.json
# (what was converted, and the generation settings of the source checkpoint).
QUANTIZATIONS = ("int8", "int8_float32", "float32")
CONVERTED_META = "newsdesk.json"


class ConvertedModelNotFound(ModelNotFound):
    """The model has no CTranslate2 conversion for the wanted quantization."""


def converted_dir(model_dir: Path, spec: ModelSpec, commit: str, quantization: str) -> Path:
    """Where the conversion of one snapshot at one quantization lives."""
    return repo_dir(model_dir, spec) / "ctranslate2" / f"{commit}-{quantization}"


def convert_command(spec: ModelSpec, model_dir: Path, quantization: str) -> str:
    """The command that makes a missing conversion (named in errors)."""
    return f"newsdesk models convert {spec} --model-dir {model_dir} --quantization {quantization}"


def locate_converted(model_dir: Path, spec: ModelSpec, quantization: str) -> LocalModel:
    """Find the CTranslate2 conversion of a model's snapshot (never converts).

    Raises ModelNotFound (snapshot missing) or ConvertedModelNotFound, naming the
    command that makes what is missing.
    """
    snapshot = locate(model_dir, spec)
    path = converted_dir(model_dir, spec, snapshot.commit, quantization)
    if not (path / CONVERTED_META).is_file():
        raise ConvertedModelNotFound(
            f"model {spec} (commit {snapshot.commit[:12]}) has no CTranslate2 "
            f"{quantization} conversion in {model_dir} (looked for {path}). Make it with "
            f"`{convert_command(spec, model_dir, quantization)}`, or serve it with "
            "the transformers engine"
        )
    return LocalModel(spec, path, snapshot.commit)


# What a translation model reads: declared in the model directory, beside the snapshot
# (Marian's config.json has no such list): models--ORG--NAME/newsdesk-languages.json.
LANGUAGES_FILE = "newsdesk-languages.json"
# Source languages of the models `models pull` knows, from their model cards.
KNOWN_LANGUAGES: dict[str, tuple[str, ...]] = {
    # opus-mt-tc-big-zle-en: East Slavic (zle) → English; the card lists bel, rus, ukr.
    "Helsinki-NLP/opus-mt-tc-big-zle-en": ("be", "ru", "uk"),
    "Helsinki-NLP/opus-mt-uk-en": ("uk",),
    "Helsinki-NLP/opus-mt-ru-en": ("ru",),
}
# Quality notes shown by ListLanguagePairs for languages a model reads less well.
QUALITY_NOTES: dict[tuple[str, str], str] = {
    ("Helsinki-NLP/opus-mt-tc-big-zle-en", "be"): (
        "Belarusian: lower quality than uk/ru (model card: 18.1 BLEU on FLORES-101, "
        "48.1 on Tatoeba; uk/ru score 39.2/35.2 on FLORES-200)"
    ),
}


def write_languages(model_dir: Path, spec: ModelSpec, languages: tuple[str, ...]) -> Path:
    """Declare the source languages a model reads (written by pull and build-local)."""
    path = repo_dir(model_dir, spec) / LANGUAGES_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps({"source_languages": sorted(languages), "target_languages": ["en"]}) + "\n",
        encoding="utf-8",
    )
    return path


def declared_languages(model_dir: Path, spec: ModelSpec) -> tuple[str, ...]:
    """The source languages a model declares (empty when it declares none)."""
    path = repo_dir(model_dir, spec) / LANGUAGES_FILE
    if not path.is_file():
        return ()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ()
    return tuple(str(code) for code in data.get("source_languages", ()))
