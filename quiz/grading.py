"""How close a typed answer is to the card's answer: a hint for self-grading."""

from __future__ import annotations

import re
import unicodedata

_MARKUP = re.compile(r"(\*\*|__|[*_`>#]|^\s*(?:[-+*]|\d+[.)])\s+|!?\[\[|\]\]|\$)", re.MULTILINE)


def _normal(text: str) -> str:
    # NFD splits each Hangul syllable into its jamo, so one wrong vowel is a
    # small edit (one jamo of three), not a whole wrong character.
    text = _MARKUP.sub(" ", text)
    return " ".join(unicodedata.normalize("NFD", text).casefold().split())


def similarity(typed: str, answer: str) -> float:
    """Score in [0, 1]: 1 for the same words, small for unrelated text.

    The answer may be long and the learner types the gist, so the better of
    a whole-text ratio and a partial/word-set ratio (rapidfuzz WRatio) counts.
    """
    from rapidfuzz import fuzz

    a, b = _normal(typed), _normal(answer)
    if not a or not b:
        return 0.0
    return round(float(fuzz.WRatio(a, b)) / 100.0, 3)
