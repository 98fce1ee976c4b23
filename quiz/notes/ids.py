"""Who a note and a card are: the one owner of note keys, card ids and the
rule for two notes with the same file name.

A card's id is a hash of its note's key (the file name, NFC, case folded),
its question (``question_key``) and how many times the question came before
in the note. Neither the folder nor the answer nor the card's position takes
part: moving a note, editing an answer or reordering cards keeps the ids, and
so the cards' history (reviews, FSRS memory hang on the id).

Two notes with the same file name in different folders get the same key, and
a question they share would get one id. The index settles such a clash when
it scans (``quiz.store.index``) and the session takes the ids the index
gives, so a clash is settled once, here, by ``plain_owner``:

1. the note that holds the plain id (the index gives it to that note, or, on a
   rebuild, the review log says its grades were given in that note) keeps it;
2. else the first note, by path, that has no history under its path-tied id;
3. every other note gets an id tied to its path (``card_ids(..., salt=path)``).

History decides before paths do, so a third same-named note appearing, or the
index rebuilt from the notes and the review log, never moves a history to
another note. Only a clash without any history is decided by path order.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Callable, Iterable, Mapping


def title_of(path: str) -> str:
    """A note's title: its file name without ``.md`` (any case)."""
    name = path.rsplit("/", 1)[-1]
    return name[:-3] if name.lower().endswith(".md") else name


def note_key(title: str) -> str:
    """The part of a note's identity that survives moving it in the vault."""
    return unicodedata.normalize("NFC", title).casefold()


def question_key(question: str) -> str:
    """What makes two questions the same: NFC, blanks collapsed, case folded.

    The reader counts repeats of a question by it, and ``card_id`` hashes it,
    so a question spelled in NFD (macOS) and in NFC is one question to both.
    """
    return " ".join(unicodedata.normalize("NFC", question).split()).casefold()


def card_id(key: str, question: str, occurrence: int = 0, salt: str = "") -> str:
    """A stable card id from the note's key and the question text.

    ``occurrence`` separates repeated questions in one note; ``salt`` (the
    note's path) separates two same-named notes (see ``plain_owner``).
    """
    text = question_key(question)
    material = (
        f"{key}\x1f{text}\x1f{occurrence}\x1f{salt}" if occurrence or salt else f"{key}\x1f{text}"
    )
    return hashlib.blake2b(material.encode("utf-8"), digest_size=8).hexdigest()


def card_ids(key: str, questions: Iterable[str], salt: str = "") -> list[str]:
    """The ids of a note's cards, in order: a repeated question counts up."""
    seen: dict[str, int] = {}
    found = []
    for question in questions:
        norm = question_key(question)
        occurrence = seen.get(norm, 0)
        seen[norm] = occurrence + 1
        found.append(card_id(key, question, occurrence, salt))
    return found


def plain_owner(
    plain: str, tied: Mapping[str, str], holder: Callable[[str], str | None]
) -> str | None:
    """Which note keeps the plain id ``plain`` that several notes claim.

    ``tied`` gives, for each claiming note's path, the id tied to that path
    its card would get instead; ``holder`` says which note's path an id's
    history belongs to (``None``: no history). ``None`` back: no note takes
    the plain id, each keeps its path-tied one. See the module docstring.
    """
    who = holder(plain)
    if who is not None and who in tied:
        return who
    free = sorted(path for path, other in tied.items() if holder(other) != path)
    return free[0] if free else None


def distinct_note_keys(paths: Iterable[str]) -> dict[str, str]:
    """A key per note path, told apart where two notes share a file name.

    The calendar's event ids: the rule of ``plain_owner`` without a history,
    so the first same-named note by path keeps the plain key.
    """
    by_key: dict[str, dict[str, str]] = {}
    for path in paths:
        key = note_key(title_of(path))
        by_key.setdefault(key, {})[path] = f"{key}\x1f{path}"
    keys: dict[str, str] = {}
    for key, tied in by_key.items():
        owner = plain_owner(key, tied, lambda _: None) if len(tied) > 1 else next(iter(tied))
        for path, other in tied.items():
            keys[path] = key if path == owner else other
    return keys
