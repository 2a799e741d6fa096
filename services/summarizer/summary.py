"""The summary writer: the Summary of an article — its headline, abstractive summary and
background bullets.

Method (see README):
1. The article is split into sentences and packed into windows under the model's
   1,024-token limit (over-long sentences are split, never cut), so no text is
   silently ignored.
2. Summary: one window → one generation. Several windows → map-reduce: every window
   is summarized in one batched call, then the partial summaries are summarized again
   (recursively while they still exceed a window).
3. Background bullets: sentences with dated events, figures and attributions that the
   summary does not cover are ranked (background.py); the best are rewritten by the
   model in the same batched call as the headline. A bullet is a whole sentence of at
   most bullet_max_words words, never cut: a grounded rewrite (it shares most of its
   source's content words), else the source sentence, else the next candidate; none
   repeats the headline, the summary or another bullet (bullets.py).
4. Headline: generated from the lead, cut to the word cap at a word boundary.
5. Figures check (facts.py): every number, date, time and name of the headline, summary
   and bullets is checked against the text; a rewrite stating what the text does not
   gives way to its source sentence, a headline to the lead-derived one, a summary
   sentence is removed — or, when nothing can stand in, the part is flagged (and with
   reject_unsupported the brief is refused).
So the Summary of a short article is two rounds of generation jobs: the summary (with the
requested beams) and one greedy round for the headline and bullet rewrites. `plan()`
writes that as a plan (services/common/batching/plan.py): the rounds' jobs go to the shared
batcher, where they share batches with other requests; all per-request state lives in the
plan, none on the writer. Pure Python over the Engine interface; never imports grpc.
Past 400 lines: the request path of a brief reads best as one plan, step by step.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field

from services.common.batching.admission import RequestTooLarge
from services.common.batching.plan import Plan, run_sync
from services.common.batching.queue import Job
from services.common.engines.base import Engine, GenerationSpec
from services.common.models.store import ModelRef
from services.common.text.factcheck import check as check_claim
from services.common.text.glossary import HouseStyle, StyleCounts, style_counts
from services.common.text.segment import (
    document_spans,
    first_sentence,
    fit_pieces,
    piece_spans,
    trim_words,
)
from services.summarizer.background import overlap, rank_background
from services.summarizer.bullets import BulletSource, bullet_shortfall, pick_bullets
from services.summarizer.facts import BriefCheck, FactCheck

# The headline is written from the lead; a short lead also keeps the padded batch of
# the headline + bullet call small (the encoder cost grows with the longest input).
_LEAD_MAX_TOKENS = 96
# A bullet rewrite is a short sentence (~20 words). Every token of this batched call is
# paid once per bullet, so this bound is what keeps a Summary within ~2x the summary alone.
_REWRITE_MAX_TOKENS = 32
# Reduce rounds of map-reduce summarization before giving up on fitting all partials.
_MAX_REDUCE_ROUNDS = 4


@dataclass(frozen=True)
class SummaryOptions:
    """What the caller may tune; validated by the servicer."""

    summary_max_words: int = 60
    headline_max_words: int = 15
    bullet_count: int = 4
    num_beams: int = 4
    # Wire-story background sentences run to about 60 words (the seed brief's longest
    # bullet is 61): 64 keeps them whole; a bullet is never cut.
    bullet_max_words: int = 64
    # The sentences of the article the text translates (0: the text is the article);
    # only the shortfall note counts them.
    source_sentences: int = 0
    # Refuse (UNSUPPORTED_FACTS) a brief with a part still flagged by the figures check.
    reject_unsupported: bool = False
    # The article's own title (a web page's), the first headline candidate when it fits.
    headline_hint: str = ""


@dataclass
class ChunkReport:
    """How the article was read: every sentence lands in exactly one window."""

    input_tokens: int = 0
    windows: int = 0
    window_tokens: list[int] = field(default_factory=list)
    sentences: int = 0
    sentences_read: int = 0
    reduced: bool = False


@dataclass(frozen=True)
class Sentence:
    """A sentence the writer read (a piece, for an over-long one): its text, token
    count and code-point span in the article as sent."""

    text: str
    tokens: int
    start: int
    end: int


@dataclass(frozen=True)
class Window:
    """Consecutive sentences read at once: the first one's index and how many."""

    first: int
    count: int
    tokens: int


@dataclass
class Summary:
    """The result for one article: headline, summary, bullets and how they were read."""

    headline: str
    summary: str
    bullets: list[str]
    chunking: ChunkReport
    generations: int  # rounds of generation jobs this Summary needed
    model: ModelRef
    sentences: list[Sentence] = field(default_factory=list)
    windows: list[Window] = field(default_factory=list)
    sources: list[BulletSource] = field(default_factory=list)
    shortfall: str = ""  # "" or a reason of bullets.py (SHORT_ARTICLE, …)
    shortfall_detail: str = ""
    style: StyleCounts = field(default_factory=StyleCounts)
    # The figures check of each part (facts.py); bullet_checks in bullet order.
    headline_check: FactCheck = field(default_factory=FactCheck)
    summary_check: FactCheck = field(default_factory=FactCheck)
    bullet_checks: list[FactCheck] = field(default_factory=list)


def tokens_for_words(words: int) -> int:
    """A generous token budget for `words` English words."""
    return int(words * 1.5) + 8


class SummaryWriter:
    """Writes summaries with one engine; holds no per-request state (see plan()).
    `check_facts=False` leaves out the figures check (facts.py): only to measure what
    it changes (bench/summary_checks.py)."""

    def __init__(
        self,
        engine: Engine,
        *,
        window_margin: int = 8,
        max_batch: int = 8,
        check_facts: bool = True,
    ) -> None:
        self.engine = engine
        self.window = engine.max_source_tokens - window_margin
        self.max_batch = max_batch
        self.check_facts = check_facts

    def sentences_of(self, text: str) -> list[Sentence]:
        """All sentences with their token counts and spans, paragraph by paragraph, each
        within one window (tokenized once; an over-long sentence gives its pieces)."""
        out: list[Sentence] = []
        for span in document_spans(text):
            parts = fit_pieces(span.text, self.window, self.engine.count_tokens)
            where = piece_spans(span, [part for part, _ in parts])
            out += [
                Sentence(part, tokens, start, end)
                for (part, tokens), (start, end) in zip(parts, where, strict=True)
            ]
        return out

    def windows(
        self, sentences: list[tuple[str, int]]
    ) -> tuple[list[str], ChunkReport, list[Window]]:
        """Pack (sentence, tokens) into windows under the model limit, at sentence
        boundaries."""
        report = ChunkReport(sentences=len(sentences))
        windows: list[str] = []
        spans: list[Window] = []
        current: list[str] = []
        current_tokens = 0
        for index, (sentence, tokens) in enumerate(sentences):
            report.input_tokens += tokens
            if current and current_tokens + tokens > self.window:
                windows.append(" ".join(current))
                spans.append(Window(index - len(current), len(current), 0))
                current, current_tokens = [], 0
            current.append(sentence)
            current_tokens += tokens
            report.sentences_read += 1
        if current:
            windows.append(" ".join(current))
            spans.append(Window(len(sentences) - len(current), len(current), 0))
        report.windows = len(windows)
        report.window_tokens = [self.engine.count_tokens(w) for w in windows]
        spans = [
            Window(w.first, w.count, tokens)
            for w, tokens in zip(spans, report.window_tokens, strict=True)
        ]
        return windows, report, spans

    @property
    def key(self) -> str:
        """The batcher key of this writer's model."""
        return f"{self.engine.model.id}@{self.engine.model.revision}"

    def _jobs(self, inputs: list[str], spec: GenerationSpec) -> list[Job]:
        return [Job(text, self.engine.count_tokens(text), spec, self.key) for text in inputs]

    def _summarize(
        self, windows: list[str], spec: GenerationSpec, report: ChunkReport, reserve: int = 0
    ) -> Plan[tuple[str, int]]:
        """The summary of the windows (map-reduce over several) and the rounds it took.

        Partial summaries are re-windowed (an over-long one split, never cut) until they
        fit one window. Reduction stops after _MAX_REDUCE_ROUNDS rounds even if they
        still do not fit (a model that writes summaries longer than its input), and the
        summary of the first window of partials is used then. `reserve` is the cost of
        the rounds after the first, declared with it so admission judges the request whole."""
        first_round = self._jobs(windows, spec)
        if first_round and reserve:
            first_round[0] = dataclasses.replace(first_round[0], reserve=reserve)
        partials = [g.text for g in (yield first_round)]
        rounds = 1
        if len(windows) == 1:
            return partials[0], rounds
        report.reduced = True
        count = self.engine.count_tokens
        for _ in range(_MAX_REDUCE_ROUNDS):
            joined = " ".join(p for p in partials if p)
            if count(joined) <= self.window:
                rounds += 1
                return (yield self._jobs([joined], spec))[0].text, rounds
            pieces = [piece for p in partials if p for piece in fit_pieces(p, self.window, count)]
            regrouped, _, _ = self.windows(pieces)
            partials = [g.text for g in (yield self._jobs(regrouped, spec))]
            rounds += 1
        rounds += 1
        first, _, _ = self.windows(
            [piece for p in partials if p for piece in fit_pieces(p, self.window, count)]
        )
        return (yield self._jobs(first[:1], spec))[0].text, rounds

    def cost(self, report: ChunkReport, options: SummaryOptions) -> int:
        """An upper estimate of a request's work in token-beams (queue.Job.cost over
        every round): the map round over the windows, the reduce rounds over partial
        summaries of at most the summary bound each, and the greedy rewrites."""
        new = tokens_for_words(options.summary_max_words)
        beams = max(1, options.num_beams)
        cost = (report.input_tokens + report.windows * new) * beams
        partial = report.windows * new if report.windows > 1 else 0
        for _ in range(_MAX_REDUCE_ROUNDS):
            if partial <= self.window:
                break
            windows = math.ceil(partial / self.window)
            cost += (partial + windows * new) * beams
            partial = windows * new
        if partial:
            cost += (min(partial, self.window) + new) * beams
        # The greedy rewrite round: the lead (at most _LEAD_MAX_TOKENS) and one candidate
        # per bullet (at most bullet_max_words), each writing at most the longer of the
        # headline's bound and _REWRITE_MAX_TOKENS.
        out = max(tokens_for_words(options.headline_max_words), _REWRITE_MAX_TOKENS)
        inputs = _LEAD_MAX_TOKENS + options.bullet_count * tokens_for_words(
            options.bullet_max_words
        )
        return cost + inputs + (options.bullet_count + 1) * out

    def _admit(self, report: ChunkReport, options: SummaryOptions, max_cost: int) -> int:
        """The request's estimated cost; over `max_cost` (when set) it is refused
        INVALID_ARGUMENT before any model work, saying how to split it."""
        cost = self.cost(report, options)
        if max_cost and cost > max_cost:
            parts = math.ceil(cost / max_cost)
            raise RequestTooLarge(
                f"this brief is about {cost} token-beams of work ({report.windows} windows "
                f"at {options.num_beams} beams, summaries of up to "
                f"{options.summary_max_words} words), more than the summarizer takes in one "
                f"request ({max_cost}); split the text into at least {parts} parts, or ask "
                "for fewer beams or a shorter summary",
                cost=str(cost),
                limit=str(max_cost),
            )
        return cost

    def _rewrite_spec(self, candidates: list[str], options: SummaryOptions) -> GenerationSpec:
        """Headline and bullet rewrites are single-sentence compressions: greedy, and no
        longer than a bullet may be. Beams are spent on the summary, where they pay."""
        longest = max((self.engine.count_tokens(c) for c in candidates), default=8)
        return GenerationSpec(
            max_new_tokens=max(
                tokens_for_words(options.headline_max_words),
                min(longest, _REWRITE_MAX_TOKENS),
            ),
            num_beams=1,
        )

    def plan(
        self,
        text: str,
        options: SummaryOptions,
        style: HouseStyle | None = None,
        *,
        max_cost: int = 0,
    ) -> Plan[Summary]:
        """The Summary of one English article, as a plan of generation rounds; headline,
        summary and bullets in house style (`style`), provenance as spans of `text`,
        every part's figures checked against `text` (facts.py). With `max_cost`, a
        request estimated to cost more (token-beams) is refused INVALID_ARGUMENT before
        any model work, saying how to split it; with options.reject_unsupported, a brief
        with a part still flagged is refused FAILED_PRECONDITION (UNSUPPORTED_FACTS)."""
        read = self.sentences_of(text)
        sentences = [s.text for s in read]
        windows, report, spans = self.windows([(s.text, s.tokens) for s in read])
        cost = self._admit(report, options, max_cost)
        summary_spec = GenerationSpec(
            max_new_tokens=tokens_for_words(options.summary_max_words),
            min_new_tokens=max(1, tokens_for_words(options.summary_max_words) // 3),
            num_beams=options.num_beams,
        )
        map_cost = sum(job.cost for job in self._jobs(windows, summary_spec))
        raw, rounds = yield from self._summarize(
            windows, summary_spec, report, reserve=max(0, cost - map_cost)
        )
        summary = trim_words(raw, options.summary_max_words)
        # One or two sentences: the lead is what the headline and summary say, so it
        # is never a bullet as well.
        short = len(sentences) <= 2
        # Spares stand in (as written) for candidates that give no bullet.
        ranked = rank_background(
            sentences, summary, allow_lead=not short, limit=3 * options.bullet_count
        )
        candidates = ranked[: options.bullet_count]
        lead = self._lead(sentences)
        short_spec = self._rewrite_spec([c.text for c in candidates], options)
        rewrites = yield self._jobs([lead] + [c.text for c in candidates], short_spec)
        outputs = [g.text for g in rewrites]
        rounds += 1
        headlines = self._headlines(
            outputs[0], lead, sentences[0] if sentences else "", options.headline_max_words
        )
        hint = " ".join(options.headline_hint.split())
        if self._hint_fits(hint, lead, text, options.headline_max_words):
            headlines = [hint, *headlines]  # the outlet's own title, a human's headline
        house = style or HouseStyle(None)
        counts = style_counts(house)
        styled = [house.rewrite(h) for h in headlines]
        checks = BriefCheck(text, house, enabled=self.check_facts)
        chosen = checks.pick_headline([s.text for s in styled])
        summary = checks.keep_summary(summary)
        headline, summary = counts.add(styled[chosen]), counts.add(house.rewrite(summary))
        picked = pick_bullets(
            ranked,
            {c.index: out for c, out in zip(candidates, outputs[1:], strict=True)},
            taken=[headline, summary],
            count=options.bullet_count,
            max_words=options.bullet_max_words,
            restyle=lambda text: house.rewrite(text).text,
            facts=checks.rewrite,
        )
        bullets = [counts.add(house.rewrite(text)) for text, _ in picked.bullets]
        sources = [source for _, source in picked.bullets]
        checks.check_bullets(bullets, [picked.unsupported.get(s.sentences[0]) for s in sources])
        refused = checks.refusal() if options.reject_unsupported else None
        if refused is not None:
            raise refused
        shortfall, detail = bullet_shortfall(
            picked,
            options.bullet_count,
            sentences=len(sentences),
            article=options.source_sentences or len(sentences),
            candidates=sum(c.index > 0 for c in ranked),
            max_words=options.bullet_max_words,
        )
        return Summary(
            headline,
            summary,
            bullets,
            report,
            rounds,
            self.engine.model,
            sentences=read,
            windows=spans,
            sources=sources,
            shortfall=shortfall,
            shortfall_detail=detail,
            style=counts,
            headline_check=checks.headline,
            summary_check=checks.summary,
            bullet_checks=checks.bullets,
        )

    def write(self, text: str, options: SummaryOptions, style: HouseStyle | None = None) -> Summary:
        """The Summary of one article now, calling the engine directly (tests, benchmarks)."""
        return run_sync(
            self.plan(text, options, style),
            {self.key: self.engine},
            max_tokens=self.max_batch * self.engine.max_source_tokens,
            max_items=self.max_batch,
        )

    def _lead(self, sentences: list[str]) -> str:
        lead: list[str] = []
        tokens = 0
        for sentence in sentences[:3]:
            tokens += self.engine.count_tokens(sentence)
            if lead and tokens > min(self.window, _LEAD_MAX_TOKENS):
                break
            lead.append(sentence)
        return " ".join(lead)

    @staticmethod
    def _hint_fits(hint: str, lead: str, text: str, max_words: int) -> bool:
        """The article's own title is a headline candidate when it fits the word cap, is
        grounded in the lead as the model's must be ("Latest news" is not), and states
        no figure or name the text does not (a flagged title is never published)."""
        if not hint or len(hint.split()) > max_words or overlap(hint, lead) < 0.5:
            return False
        return check_claim(hint, text).supported

    @staticmethod
    def _headlines(generated: str, lead: str, first: str, max_words: int) -> list[str]:
        """The headline candidates, best first, each cut to `max_words` words: the
        model's when grounded in the lead, then the article's first sentence (the
        fallback when it is not, or when the figures check refuses the model's)."""
        fallback = " ".join(first.rstrip(".").split()[:max_words])
        candidate = first_sentence(generated).rstrip(".")
        if not candidate or overlap(candidate, lead) < 0.5:
            return [fallback]
        return [" ".join(candidate.split()[:max_words]), fallback]
