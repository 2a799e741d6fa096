"""What of a text the detector reads: invisible characters and web addresses dropped,
and the pieces a long text is checked in (paragraphs, or runs of sentences when it is
one paragraph). Pure functions, no model."""

from __future__ import annotations

import re

from services.common.text.scripts import ScriptProfile, profile

# Invisible characters web copy puts inside words (zero-width space, word joiner,
# BOM, soft hyphen): they split fastText's character n-grams and carry no language.
_INVISIBLE = re.compile("[\u200b\u2060\ufeff\u00ad]")
# Web and e-mail addresses: Latin letters that say nothing of the text's language.
_ADDRESS = re.compile(r"\b(?:https?://|www\.)\S+|\b[\w.+-]+@[\w-]+\.[\w.-]+")
# Line ends: a long text is checked paragraph by paragraph...
_PARAGRAPH_END = re.compile(r"\s*\n\s*")
# ... or, when it is one paragraph, in runs of whole sentences.
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


def language_text(text: str) -> str:
    """`text` without invisible characters, and without web and e-mail addresses
    unless nothing else has letters."""
    if _INVISIBLE.search(text):
        text = _INVISIBLE.sub("", text)
    if "@" in text or "www." in text or "://" in text:
        bare = _ADDRESS.sub(" ", text)
        if any(ch.isalpha() for ch in bare):
            return bare
    return text


def pieces(
    text: str, min_letters: int, run_letters: int, letters: int | None = None
) -> list[tuple[str, ScriptProfile]]:
    """The pieces of `text` to check one by one, with their profiles: its paragraphs
    (lines) of at least `min_letters` letters; for a text of one paragraph, runs of
    whole sentences of at least `run_letters` letters (the last run takes the rest).
    [] when there are fewer than two. `letters`: the text's letter count, if known."""
    found = []
    if "\n" in text.strip():
        for paragraph in _PARAGRAPH_END.split(text):
            prof = profile(paragraph)
            if prof.letters >= min_letters:
                found.append((paragraph, prof))
        if len(found) >= 2:
            return found
    if (profile(text).letters if letters is None else letters) < 2 * run_letters:
        return []
    runs: list[str] = []
    current: list[str] = []
    letters = 0
    for sentence in _SENTENCE_END.split(text.strip()):
        current.append(sentence)
        letters += sum(map(str.isalpha, sentence))
        if letters >= run_letters:
            runs.append(" ".join(current))
            current, letters = [], 0
    if current and runs:
        runs[-1] = " ".join([runs[-1], *current])
    return [(run, profile(run)) for run in runs] if len(runs) >= 2 else []
