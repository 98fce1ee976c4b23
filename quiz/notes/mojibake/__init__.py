"""Detect and repair mojibake: UTF-8 read as Windows-1252, with dropped bytes.

What happened to the text
-------------------------
An export read UTF-8 bytes as Windows-1252 (cp1252) and wrote the characters
it got back out as UTF-8: ``한`` (ED 95 9C) became ``í•œ``. Five byte values
have no cp1252 character (0x81 0x8D 0x8F 0x90 0x9D) and 0xAD became a soft
hyphen; the exporter dropped all six. In UTF-8 they can only be
*continuation* bytes, so each loss leaves a multi-byte sequence one (rarely
two) bytes short: ``이`` (EC 9D B4) arrives as ``ì´``. Lead bytes are never
lost, so every gap is visible and sits inside one known character.

How it is undone
----------------
1. Detection (:func:`looks_like_mojibake`) must be cheap, because it runs on
   every note of a vault: one precompiled regex looks for a cp1252 "lead byte"
   letter (``Ã``, ``ì``, ``í``, ``ð`` …) followed by a "continuation byte"
   character (``€``, ``•``, ``´`` …). Clean text almost never has such a pair,
   so it is rejected right there. Only on a hit is the text mapped back to
   bytes, and it must then be made mostly of complete UTF-8 multi-byte
   sequences (``café—`` or CP949 bytes read as cp1252 are not).
2. Every character is mapped back to its cp1252 byte (the five undefined
   bytes, should they survive, to their own code point). That gives the
   original bytes minus the dropped ones; complete sequences decode as is.
   Characters cp1252 cannot produce were never mangled and keep their UTF-8.
3. Each short sequence is a *gap*. Its candidates are all the ways to put the
   missing byte(s) back (which slot x which of the six bytes) that decode to an
   assigned, printable character: usually 12 for a Hangul syllable, of which
   2-7 are syllables anyone writes (``에``/``역``/``읗``).
4. Context decides.

   * Gaps in symbols and emoji (``❕`` = E2 9D 95, ``❤``, ``✏`` …) are
     decided by a prior: emoji first, then common symbol and punctuation
     blocks; never controls; a variation selector or ZWJ only next to emoji.
   * Hangul gaps are decided per run of Hangul (a word, or the part of it
     after ``Lambda``), all the gaps of a run jointly, since many words have
     two or more (``동일``: 동 EB 8F 99 and 일 EC 9D BC). Two scorers:

     - ``"kiwi"``: Kiwi's morphological analyser (kiwipiepy, optional) scores
       the line around the run with each candidate spelling; the score of the
       best analysis is a log-probability under Kiwi's language model, so
       particles, endings and word choice all count. The syllable model's
       score is added (a product of experts: Kiwi alone prefers a frequent
       word to the right rarer one, 스탭 to 스택), and a spelling that leaves
       an unknown word where a known one was possible pays a penalty.
     - ``"syllable"``: a Hangul syllable bigram model with word-boundary
       classes (pure Python; table in ``data/hangul_syllables.json.gz``, built
       by ``tools/build_syllable_model.py`` from Kiwi's dictionaries and its
       language model), searched with a beam over the run (exact for runs
       of a few gaps), with KS X 1001 (the 2,350 common syllables) as a prior.

   When the best candidates tie, nothing decides the gap: it is left as
   U+FFFD and counted as unresolved rather than guessed.
"""

from __future__ import annotations

from quiz.notes.mojibake.detect import DROPPED_BYTES, looks_like_mojibake, may_be_mojibake
from quiz.notes.mojibake.repair import Repair, repair

__all__ = ["DROPPED_BYTES", "Repair", "looks_like_mojibake", "may_be_mojibake", "repair"]
