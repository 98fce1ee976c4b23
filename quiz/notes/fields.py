"""The learner's frontmatter fields and how their keys are recognised.

Keys in the learner's template carry emoji prefixes (``❤1일복습여부``) and
sometimes spaces (``❕첫 학습날``). A key is matched by its *text*: leading
emoji, symbols, variation selectors and whitespace are stripped, the rest is
NFC-normalised, spaces are dropped and the result is case-folded. English
aliases from SPEC are accepted too.
"""

from __future__ import annotations

import enum
import unicodedata
from functools import lru_cache


class Field(enum.Enum):
    """A frontmatter field the product understands."""

    FIRST_STUDIED = "first_studied"
    SUBJECT = "subject"
    TEXTBOOK = "textbook"
    LEVEL = "level"
    REVIEW_1D = "review_1d"
    REVIEW_4D = "review_4d"
    REVIEW_7D = "review_7d"
    REVIEW_14D = "review_14d"
    LONG_TERM = "long_term"
    REVIEW_STATUS = "review_status"
    MIRROR_1D = "mirror_1d"
    MIRROR_4D = "mirror_4d"
    MIRROR_7D = "mirror_7d"
    MIRROR_14D = "mirror_14d"
    MIRROR_LONG_TERM = "mirror_long_term"
    LEARNING_RATE = "learning_rate"
    PROGRESS = "progress"


#: Stage flags in stage order (day 1, 4, 7, 14, long-term).
STAGE_FLAGS: tuple[Field, ...] = (
    Field.REVIEW_1D,
    Field.REVIEW_4D,
    Field.REVIEW_7D,
    Field.REVIEW_14D,
    Field.LONG_TERM,
)

#: The ``"1"``/``"0"`` mirrors of the stage flags, in the same order.
STAGE_MIRRORS: tuple[Field, ...] = (
    Field.MIRROR_1D,
    Field.MIRROR_4D,
    Field.MIRROR_7D,
    Field.MIRROR_14D,
    Field.MIRROR_LONG_TERM,
)

_LEADING_JUNK = frozenset({"So", "Sk", "Sm", "Mn", "Me", "Cf", "Zs", "Cc"})


def normalize_key(key: str) -> str:
    """Return the matching form of a frontmatter key.

    >>> normalize_key("❕첫 학습날")
    '첫학습날'
    >>> normalize_key("💛7일복습여부")
    '7일복습여부'
    """
    text = unicodedata.normalize("NFC", key)
    start = 0
    while start < len(text) and (
        text[start].isspace() or unicodedata.category(text[start]) in _LEADING_JUNK
    ):
        start += 1
    return "".join(text[start:].split()).casefold()


_NAMES: dict[Field, tuple[str, ...]] = {
    Field.FIRST_STUDIED: ("첫 학습날", "first_studied"),
    Field.SUBJECT: ("과목", "subject"),
    Field.TEXTBOOK: ("교재", "textbook"),
    Field.LEVEL: ("학습정도", "level"),
    Field.REVIEW_1D: ("1일복습여부", "review_1d"),
    Field.REVIEW_4D: ("4일복습여부", "review_4d"),
    Field.REVIEW_7D: ("7일복습여부", "review_7d"),
    Field.REVIEW_14D: ("14일복습여부", "review_14d"),
    Field.LONG_TERM: ("장기기억", "long_term"),
    Field.REVIEW_STATUS: ("복습", "review_status"),
    Field.MIRROR_1D: ("1일차복습여부1,0",),
    Field.MIRROR_4D: ("4일차복습여부1,0",),
    Field.MIRROR_7D: ("7일차복습여부1,0",),
    Field.MIRROR_14D: ("14일차복습여부1,0",),
    Field.MIRROR_LONG_TERM: ("장기기억저장여부1,0",),
    Field.LEARNING_RATE: ("학습률", "learning_rate"),
    Field.PROGRESS: ("진행바", "progress"),
}

_BY_KEY: dict[str, Field] = {
    normalize_key(name): field for field, names in _NAMES.items() for name in names
}


def field_for_key(key: object) -> Field | None:
    """Return the field a frontmatter key stands for, or ``None``."""
    if not isinstance(key, str):
        return None
    return _field_for_text(key)


@lru_cache(maxsize=4096)
def _field_for_text(key: str) -> Field | None:
    # Every note of a vault repeats the same few dozen keys.
    return _BY_KEY.get(normalize_key(key))
