"""Repairing mojibake: every gap gets a character, symbols by their prior,
Hangul runs jointly by the syllable model or Kiwi; ties stay U+FFFD.
See :mod:`quiz.notes.mojibake`."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from quiz.notes.mojibake import models
from quiz.notes.mojibake.detect import Gap, Piece, looks_like_mojibake, split_pieces, to_bytes
from quiz.notes.mojibake.models import (
    RARE_SYLLABLE,
    REPLACEMENT,
    SyllableModel,
    boundary_class,
    is_common_syllable,
    is_hangul,
    symbol_prior,
)

_MODELS = ("kiwi", "syllable")


@dataclass(frozen=True)
class Repair:
    """The outcome of :func:`repair`."""

    text: str  # the repaired text
    filled: int  # gaps (dropped bytes) restored
    unresolved: int  # gaps that could not be decided (left as U+FFFD)
    model: str  # "kiwi" or "syllable": which model decided the gaps


_TIE = 1e-6  # scores closer than this are a tie: nothing decides the gap


@dataclass(slots=True)
class _Slot:
    """One character of the output: fixed, or a gap still to decide."""

    gap: Gap | None
    options: tuple[str, ...]  # the fixed character, or the gap's candidates
    choice: str  # current decision (U+FFFD when undecided)

    @property
    def hangul(self) -> bool:
        return bool(self.options) and is_hangul(self.options[0])


def _slots(pieces: Sequence[Piece]) -> list[_Slot]:
    slots: list[_Slot] = []
    for piece in pieces:
        if isinstance(piece, str):
            slots.extend(_Slot(None, (ch,), ch) for ch in piece)
            continue
        hangul = tuple(c for c in piece.candidates if is_hangul(c))
        # A Hangul lead byte that could also be Yi or Latin Extended: in a
        # note it is Hangul whenever a Hangul reading exists.
        options = hangul or piece.candidates
        slots.append(_Slot(piece, options, REPLACEMENT))
    return slots


def _char_at(slots: Sequence[_Slot], i: int) -> str | None:
    """The (current) character at ``i``; None off the ends."""
    return slots[i].choice if 0 <= i < len(slots) else None


def _decide_symbols(slots: list[_Slot]) -> None:
    """Non-Hangul gaps, one by one, by prior and immediate neighbours."""
    for i, slot in enumerate(slots):
        if slot.gap is None or slot.hangul or not slot.options:
            continue
        before, after = _char_at(slots, i - 1), _char_at(slots, i + 1)
        scored = sorted(
            ((symbol_prior(c, before, after), c) for c in slot.options), key=lambda x: -x[0]
        )
        if len(scored) == 1 or scored[0][0] - scored[1][0] > _TIE:
            slot.choice = scored[0][1]


def _hangul_runs(slots: Sequence[_Slot]) -> Iterator[tuple[int, int]]:
    """(start, end) of each maximal run of Hangul slots that contains a gap."""
    i, n = 0, len(slots)
    while i < n:
        if not slots[i].hangul:
            i += 1
            continue
        j = i
        while j < n and slots[j].hangul:
            j += 1
        if any(s.gap is not None for s in slots[i:j]):
            yield i, j
        i = j


class _Run:
    """A run of Hangul with gaps, and the spellings worth scoring."""

    def __init__(self, slots: Sequence[_Slot], start: int, end: int, model: SyllableModel):
        self.start, self.end = start, end
        self.left = model.left[boundary_class(_char_at(slots, start - 1))]
        self.right = model.right[boundary_class(_char_at(slots, end))]
        self.options = [s.options for s in slots[start:end]]
        self.gap_offsets = [k for k, s in enumerate(slots[start:end]) if s.gap is not None]

    def spellings(self, model: SyllableModel, limit: int) -> list[tuple[str, float]]:
        """Up to ``limit`` spellings of the run, best syllable-model score first."""
        # Beam search over the gaps: exact for short runs, bounded for long ones.
        beam: list[tuple[float, str]] = [(0.0, "")]
        for k, opts in enumerate(self.options):
            prev_marker = self.left
            grown = []
            for score, text in beam:
                prev = text[-1] if text else prev_marker
                for ch in opts:
                    grown.append((score + model.logp(prev, ch), text + ch))
            grown.sort(key=lambda x: -x[0])
            beam = grown[: max(limit * 4, 64)] if k < len(self.options) - 1 else grown
        final = sorted(
            ((s + model.logp(t[-1], self.right), t) for s, t in beam), key=lambda x: -x[0]
        )
        return [(t, s) for s, t in final[:limit]]


def _ties(scored: Sequence[tuple[float, str]], run: _Run) -> set[int]:
    """Gap offsets whose character differs between spellings that tie for best."""
    best_score, best = scored[0]
    undecided: set[int] = set()
    for score, text in scored[1:]:
        if best_score - score > _TIE:
            break
        undecided.update(k for k in run.gap_offsets if text[k] != best[k])
    return undecided


def _apply(slots: list[_Slot], run: _Run, text: str, undecided: set[int]) -> None:
    for k in run.gap_offsets:
        slots[run.start + k].choice = REPLACEMENT if k in undecided else text[k]


def _decide_syllable(slots: list[_Slot], runs: list[_Run], model: SyllableModel) -> None:
    for run in runs:
        spellings = run.spellings(model, limit=8)
        scored = [(s, t) for t, s in spellings]
        _apply(slots, run, scored[0][1], _ties(scored, run))


_KIWI_SPELLINGS = 12  # at most this many spellings per run go to Kiwi ...
_KIWI_MARGIN = 15.0  # ... and only those within this many nats of the syllable model's best
_KIWI_WINDOW = 40  # about this many characters of context on each side of a run
_KIWI_OOV = 10.0  # log penalty when a gap ends up inside a word Kiwi does not know
_KIWI_PASSES = 3
_KIWI_SYLLABLE = 1.0  # weight of the syllable model's log-probability next to Kiwi's
# Markdown that is not language: list markers, headings, quotes, emphasis.
_MARKUP_PREFIX = re.compile(r"^\s*(?:(?:[-*+>]|#{1,6}|\d+[.)])\s+)+")
_MARKUP = re.compile(r"\*\*|__|`")


def _decide_kiwi(slots: list[_Slot], runs: list[_Run], model: SyllableModel, kiwi: Any) -> None:
    """Let Kiwi re-decide every run in the context of its line.

    The syllable model decides first, so that every run sees plausible
    neighbours, and proposes the spellings worth scoring (on the seed note the
    right one is never more than 4 nats behind its best; the margin is 15).
    All runs are scored in one batch, which Kiwi spreads over its worker
    threads; a run is scored again only when a run in its context changed.
    """
    _decide_syllable(slots, runs, model)
    candidates = []
    for run in runs:
        spellings = run.spellings(model, limit=_KIWI_SPELLINGS)
        top = spellings[0][1]
        candidates.append([(t, s) for t, s in spellings if top - s <= _KIWI_MARGIN])
    dirty = [i for i, spellings in enumerate(candidates) if len(spellings) > 1]
    for _ in range(_KIWI_PASSES):
        if not dirty:
            break
        texts: list[str] = []
        jobs: list[tuple[int, int, int, int]] = []  # run, first text, gap lo, gap hi
        spans: dict[int, tuple[int, int]] = {}
        for i in dirty:
            run = runs[i]
            lo, hi, before, after = _context(slots, run.start, run.end)
            spans[i] = (lo, hi)
            jobs.append((i, len(texts), len(before), len(before) + run.end - run.start))
            texts.extend(before + text + after for text, _ in candidates[i])
        results = list(kiwi.analyze(texts, top_n=1))
        changed: list[_Run] = []
        for i, first, gap_lo, gap_hi in jobs:
            run = runs[i]
            ranked = [
                (_kiwi_score(run, text, syll, results[first + k][0], gap_lo, gap_hi), text)
                for k, (text, syll) in enumerate(candidates[i])
            ]
            ranked.sort(key=lambda x: -x[0])
            old = [slots[run.start + k].choice for k in run.gap_offsets]
            _apply(slots, run, ranked[0][1], _ties(ranked, run))
            if old != [slots[run.start + k].choice for k in run.gap_offsets]:
                changed.append(run)
        # Score again the runs whose context holds a run that just changed.
        dirty = [
            i
            for i in dirty
            if any(
                r is not runs[i] and r.start < spans[i][1] and spans[i][0] < r.end for r in changed
            )
        ]


def _overlaps(run: _Run, span: tuple[int, int]) -> bool:
    return run.start < span[1] and span[0] < run.end


def _kiwi_score(
    run: _Run, text: str, syllable_score: float, best: Any, gap_lo: int, gap_hi: int
) -> float:
    """Score of one spelling of ``run`` from Kiwi's best analysis of its line."""
    tokens, score = best
    # Kiwi's guess for an unknown word is cheap, often cheaper than a rare
    # word it knows (프로비저닐 beats 프로비저닝): a spelling that makes a
    # known word is the better evidence.
    unknown = sum(1 for t in tokens if t.oov and t.start < gap_hi and t.start + t.len > gap_lo)
    prior = sum(0.0 if is_common_syllable(text[k]) else RARE_SYLLABLE for k in run.gap_offsets)
    # A product of experts: Kiwi knows words and grammar, the syllable model
    # knows which syllables go together (스택 vs 스탭, where Kiwi alone picks
    # the more frequent word).
    return float(score) - _KIWI_OOV * unknown + prior + _KIWI_SYLLABLE * syllable_score


def _context(slots: Sequence[_Slot], start: int, end: int) -> tuple[int, int, str, str]:
    """Text around slots[start:end] for Kiwi: its line, cut at spaces, minus markup.

    Returns the slot span it covers and the text before and after the run.
    """
    # Stop at the first space past the window (whole words), or at three
    # windows in text without spaces.
    lo = start
    while lo > 0 and slots[lo - 1].choice != "\n" and start - lo < 3 * _KIWI_WINDOW:
        if start - lo >= _KIWI_WINDOW and slots[lo - 1].choice.isspace():
            break
        lo -= 1
    hi = end
    while hi < len(slots) and slots[hi].choice != "\n" and hi - end < 3 * _KIWI_WINDOW:
        if hi - end >= _KIWI_WINDOW and slots[hi].choice.isspace():
            break
        hi += 1
    before = "".join(s.choice for s in slots[lo:start])
    after = "".join(s.choice for s in slots[end:hi])
    if lo == 0 or slots[lo - 1].choice == "\n":
        before = _MARKUP_PREFIX.sub("", before)
    return lo, hi, _MARKUP.sub("", before), _MARKUP.sub("", after)


def repair(text: str, *, model: str | None = None) -> Repair | None:
    """Undo cp1252 mojibake in ``text``, restoring dropped bytes from context.

    None when the text is not mojibake. ``model=None`` uses Kiwi when kiwipiepy
    is importable, else the syllable model; ``model="kiwi"`` falls back to the
    syllable model the same way (``Repair.model`` says which one decided).
    """
    if model is not None and model not in _MODELS:
        raise ValueError(f"model must be one of {_MODELS} or None, not {model!r}")
    if not looks_like_mojibake(text):
        return None
    slots = _slots(list(split_pieces(to_bytes(text))))
    gaps = [s for s in slots if s.gap is not None]
    used = "syllable"
    if gaps:
        syllables = models.syllable_model()
        _decide_symbols(slots)
        runs = [_Run(slots, i, j, syllables) for i, j in _hangul_runs(slots)]
        # Kiwi takes seconds to load: only when a Hangul gap needs it.
        kiwi = models.load_kiwi() if runs and model != "syllable" else None
        if kiwi is not None:
            used = "kiwi"
            _decide_kiwi(slots, runs, syllables, kiwi)
        else:
            _decide_syllable(slots, runs, syllables)
            if not runs and model != "syllable" and models.kiwi_available():
                used = "kiwi"  # nothing to decide: report what would have been used
    filled = unresolved = 0
    for slot in gaps:
        assert slot.gap is not None
        if slot.choice != REPLACEMENT:
            filled += slot.gap.missing
        else:  # an undecided gap, or a byte that was never UTF-8 (missing 0)
            unresolved += max(slot.gap.missing, 1)
    return Repair("".join(s.choice for s in slots), filled, unresolved, used)
