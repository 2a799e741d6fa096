"""What each tool command needs beyond the client, and how to install it: a command
whose extra is missing stops with a usage error (exit 2) naming the missing module and
the install command, from the checkout with its locked versions or from an index.

The client-only install (`pip install .`, no extra) carries this package but none of
the services' dependencies, so every tool command checks first (`needs`).
"""

from __future__ import annotations

import importlib
import shlex
import sys
from importlib.metadata import PackageNotFoundError, metadata
from pathlib import Path

from newsdesk_client.cli.common import CliError

# Serving on CTranslate2 (the serve extra) and building models (the services extra).
SERVE_NEEDS = ("ctranslate2", "sentencepiece", "tokenizers", "fasttext", "lingua")
MODEL_TOOLS = ("torch", "transformers")
# The eval commands import one metric package each, nothing of the services.
EVAL_NEEDS = {"translation": "sacrebleu", "summarization": "rouge_score"}
EVAL_PACKAGES = {"sacrebleu": "sacrebleu", "rouge_score": "rouge-score"}


def checkout() -> Path | None:
    """The source checkout these tools run from (an editable install), if any."""
    root = Path(__file__).resolve().parents[2]
    if (root / "pyproject.toml").is_file() and (root / "constraints.txt").is_file():
        return root
    return None


def _declared_extras() -> set[str]:
    """The extras the installed newsdesk distribution declares."""
    try:
        return set(metadata("newsdesk").get_all("Provides-Extra") or [])
    except PackageNotFoundError:
        return set()


def _torch_pin(root: Path | None) -> str:
    """The torch version constraints.txt locks ("" when unknown)."""
    if root is None:
        return ""
    for line in (root / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("torch=="):
            return line.split("==", 1)[1].strip()
    return ""


def install_hint(extra: str | None, packages: tuple[str, ...] = ()) -> str:
    """The commands that install an extra (or, with extra None, single packages): from
    the checkout with the locked versions, or from a package index."""
    pip = f"{shlex.quote(sys.executable)} -m pip install"
    local = f"'.[{extra}]'" if extra else " ".join(packages)
    index = f"'newsdesk[{extra}]'" if extra else " ".join(packages)
    root = checkout()
    where = (
        f"from the checkout, in {root}"
        if root
        else "from the newsdesk checkout (the folder with constraints.txt)"
    )
    first = ""
    if extra == "services":
        # PyPI's torch wheel pulls the CUDA build (several GB): the CPU wheel first.
        pin = _torch_pin(root)
        first = (
            f"  {pip} --no-deps --index-url https://download.pytorch.org/whl/cpu torch=={pin}\n"
            if pin
            else "  (the CPU torch wheel first, as the README's install section shows)\n"
        )
    return (
        f"install it {where}:\n{first}  {pip} -c constraints.txt {local}\n"
        f"or, from a package index:\n  {pip} {index}"
    )


def needs(extra: str | None, *modules: str) -> None:
    """CliError (exit 2) naming the missing module and how to install it, unless every
    module imports: `serve` needs the serve extra; building, pulling and converting
    models and the offline smoke run need the services extra; `eval` needs only its
    metric package (extra None: the package itself is named)."""
    for name in modules:
        try:
            importlib.import_module(name)
        except ImportError as exc:
            missing = exc.name or name
            what = f"the {extra} extra" if extra else missing
            raise CliError(
                f"this command needs {what} ({missing} is not installed); "
                + install_hint(extra, (EVAL_PACKAGES.get(missing, missing),))
            ) from None


def needs_eval(kind: str) -> None:
    """The metric package an `eval` command imports: the eval extra when this
    distribution declares one, else the package by name."""
    extra = "eval" if "eval" in _declared_extras() else None
    needs(extra, EVAL_NEEDS[kind])
