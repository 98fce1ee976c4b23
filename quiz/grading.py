"""How close a typed answer is to the card's answer: a hint for self-grading."""

from __future__ import annotations

import re
import unicodedata

# A list marker's indent is blanks only: ``^\s*`` also ran over every blank
# line below, from each of them (quadratic in a run of empty lines).
_MARKUP = re.compile(r"(\*\*|__|[*_`>#]|^[ \t]*(?:[-+*]|\d+[.)])\s+|!?\[\[|\]\]|\$)", re.MULTILINE)


def _normal(text: str) -> str:
    # NFD splits each Hangul syllable into its jamo, so one wrong vowel is a
    # small edit (one jamo of three), not a whole wrong character.
    text = _MARKUP.sub(" ", text)
    return " ".join(unicodedata.normalize("NFD", text).casefold().split())


def similarity(typed: str, answer: str) -> float:
    """Score in [0, 1]: 1 for the same words, small for unrelated text.

    The answer may be long and the learner types the gist, so the better of
    a whole-text ratio and a partial/word-set ratio (rapidfuzz WRatio) counts,
    scaled down when the typed text covers little of the answer.
    """
    from rapidfuzz import fuzz

    a, b = _normal(typed), _normal(answer)
    if not a or not b:
        return 0.0
    # WRatio matches a short typed text against the best part of a long
    # answer, so one right word would score high; half the weight depends on
    # covering at least half of the answer's length.
    coverage = min(1.0, 2 * len(a) / len(b))
    return round(float(fuzz.WRatio(a, b)) / 100.0 * (0.5 + 0.5 * coverage), 3)
