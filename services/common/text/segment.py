"""Document segmentation for Ukrainian, Russian and English news text: the one
sentence splitter of the project (translator segments, summarizer windows, headline
and bullet trimming).

Paragraphs are kept exactly; each is split into sentences by rules that know the
abbreviations of uk/ru news copy ("м.", "вул.", "ст.", "т.д.", "ім.", "р.", "г.",
initials such as "О. В."), «quotes», decimals and list bullets. Measured on the shared
FLORES-200 documents against razdel and pysbd (see README). Pure Python.

Invariant: joining a paragraph's sentences with single spaces loses no non-space
character of the paragraph — nothing is ever dropped. `sentence_spans` and
`document_spans` also give each sentence's character offsets (Unicode code points,
i.e. Python string indices) in the text they came from.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

# Lower-cased abbreviations (without the final dot) after which a dot does not end a
# sentence. Ukrainian, Russian and English news usage.
ABBREVIATIONS = frozenset(
    """
    м вул просп пл пров бул обл р-н смт с сел ст стор п пп гл розд рис табл див прим
    ім проф доц акад д-р канд ген полк підполк майор лейт сер пан пані тов гр
    т д п ін інш тис млн млрд трлн грн коп дол руб крб км кг га см мм хв сек год
    р рр ст ч напр зокр порівн зб ред укр рос англ нім франц лат
    г гг в вв ул пер пос дер им тыс млрд руб коп долл мин ч сек см рис табл гл
    др пр т е ср ок напр св англ нем франц лат
    mr mrs ms dr prof st jr sr inc ltd co corp vs etc e g i e no fig gen col lt sgt
    jan feb mar apr jun jul aug sep sept oct nov dec u s u k
    """.split()
)
_SENTENCE_END = re.compile(r"[.!?…]+[»\"”’)\]]*(?=\s)")
_OPENERS = "«\"„“'([—–-•*"


def _previous_word(text: str, end: int) -> str:
    start = end
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] in "-.'’ʼ"):
        start -= 1
    return text[start:end]


def _is_boundary(text: str, match: re.Match[str]) -> bool:
    punct = match.group(0)
    after = text[match.end() :].lstrip()
    if not after:
        return False
    first = after[0]
    if not (first.isupper() or first.isdigit() or first in _OPENERS):
        return False
    if punct[0] != ".":
        return True
    if len(punct.rstrip('»"”’)]')) > 1:  # "..." or ".." — an ellipsis before a capital
        return True
    word = _previous_word(text, match.start())
    bare = word.strip(".").lower()
    if not bare:
        return True
    # An initial ("О.", "J.") is an upper-case letter; "є." or "я." ends a sentence.
    if len(bare) == 1 and word.strip(".").isupper():
        return False
    last = bare.rsplit(".", 1)[-1]
    # A dotted abbreviation ("т.д", "U.S"), but not a number ("6.5").
    dotted = "." in bare and all(part.isalpha() for part in bare.split("."))
    return not (bare in ABBREVIATIONS or last in ABBREVIATIONS or dotted)


@dataclass(frozen=True)
class Span:
    """A sentence and where it lies: text[start:end] == sentence (code-point offsets)."""

    text: str
    start: int
    end: int
    paragraph: int = 0


def sentence_spans(paragraph: str, offset: int = 0, index: int = 0) -> list[Span]:
    """Sentences of one paragraph with their offsets (plus `offset`), in order."""
    spans: list[Span] = []
    start = 0
    for match in _SENTENCE_END.finditer(paragraph):
        if _is_boundary(paragraph, match):
            spans += _span(paragraph, start, match.end(), offset, index)
            start = match.end()
    spans += _span(paragraph, start, len(paragraph), offset, index)
    return spans


def _span(text: str, start: int, end: int, offset: int, index: int) -> list[Span]:
    piece = text[start:end]
    stripped = piece.strip()
    if not stripped:
        return []
    lead = len(piece) - len(piece.lstrip())
    begin = offset + start + lead
    return [Span(stripped, begin, begin + len(stripped), index)]


def split_sentences(paragraph: str) -> list[str]:
    """Sentences of one paragraph, in order; whitespace at the cuts is dropped."""
    return [span.text for span in sentence_spans(paragraph)]


_LINE_BREAKS = re.compile(r"\r?\n")


def document_spans(text: str) -> list[Span]:
    """Every sentence of a document with its offsets in `text` and its paragraph index
    (paragraphs as split_with_breaks numbers them)."""
    spans: list[Span] = []
    index = 0
    position = 0
    for line in [*_LINE_BREAKS.finditer(text), None]:
        end = line.start() if line else len(text)
        chunk = text[position:end]
        if chunk.strip():
            spans += sentence_spans(chunk, position, index)
            index += 1
        position = line.end() if line else len(text)
    return spans


def first_sentence(text: str) -> str:
    """The first sentence of a text (abbreviation-aware: "U.S. officials said …")."""
    spans = sentence_spans(text.strip())
    return spans[0].text if spans else ""


def trim_words(text: str, max_words: int) -> str:
    """Cut text to max_words words, preferring the last sentence end inside the budget;
    a cut inside a sentence ends in "…"."""
    words = text.split()
    if len(words) <= max_words:
        return text.strip()
    cut = " ".join(words[:max_words])
    spans = sentence_spans(cut)
    if len(spans) > 1:
        return cut[: spans[-2].end].strip()
    return cut.rstrip(",;:—-") + "…"


def split_long(sentence: str, fits: int, count_tokens: Callable[[str], int]) -> list[str]:
    """Split a sentence whose token count exceeds `fits` into pieces that fit.

    Cuts at clause punctuation first, then between words, and only as a last resort
    inside a word; every character is kept. `count_tokens(text) -> int`.
    """
    if count_tokens(sentence) <= fits:
        return [sentence]
    for pattern in (r"(?<=[;:])\s+", r"(?<=[,—–])\s+", r"\s+"):
        parts = [p for p in re.split(pattern, sentence) if p]
        if len(parts) > 1:
            return _pack_parts(parts, fits, count_tokens)
    # One enormous "word": cut it by characters.
    half = max(1, len(sentence) // 2)
    return split_long(sentence[:half], fits, count_tokens) + split_long(
        sentence[half:], fits, count_tokens
    )


def fit_pieces(
    sentence: str, fits: int, count_tokens: Callable[[str], int]
) -> list[tuple[str, int]]:
    """split_long with each piece's token count; a sentence that fits is counted once."""
    tokens = count_tokens(sentence)
    if tokens <= fits:
        return [(sentence, tokens)]
    return [(piece, count_tokens(piece)) for piece in split_long(sentence, fits, count_tokens)]


def _pack_parts(parts: list[str], fits: int, count_tokens: Callable[[str], int]) -> list[str]:
    pieces: list[str] = []
    current = ""
    for part in parts:
        candidate = f"{current} {part}" if current else part
        if count_tokens(candidate) <= fits:
            current = candidate
            continue
        if current:
            pieces.append(current)
        if count_tokens(part) <= fits:
            current = part
        else:
            pieces.extend(split_long(part, fits, count_tokens))
            current = ""
    if current:
        pieces.append(current)
    return pieces


def split_with_breaks(text: str) -> tuple[list[str], list[str]]:
    """Non-empty paragraphs and the break after each ("\\n\\n" for a blank line, else
    "\\n"; "" after the last), so a translation can keep the document's layout."""
    paragraphs: list[str] = []
    breaks: list[str] = []
    for chunk in re.split(r"(\n[ \t\r\f\v]*(?:\n[ \t\r\f\v\n]*)?)", text.replace("\r\n", "\n")):
        if not chunk:
            continue
        if chunk.startswith("\n"):
            if paragraphs:
                breaks[-1] = "\n\n" if chunk.count("\n") > 1 else "\n"
            continue
        if chunk.strip():
            paragraphs.append(chunk.strip())
            breaks.append("")
    if breaks:
        breaks[-1] = ""
    return paragraphs, breaks


def piece_spans(sentence: Span, pieces: list[str]) -> list[tuple[int, int]]:
    """Where each piece of a split sentence lies in the document. Pieces keep every
    non-space character of the sentence in order (segment.split_long), though the
    spaces between words may differ; they are matched by their non-space characters."""
    out: list[tuple[int, int]] = []
    text, position = sentence.text, 0
    for piece in pieces:
        while position < len(text) and text[position].isspace():
            position += 1
        begin, need = position, sum(1 for ch in piece if not ch.isspace())
        while need and position < len(text):
            need -= not text[position].isspace()
            position += 1
        out.append((sentence.start + begin, sentence.start + position))
    return out
