"""Read one note file into a ``Note``: decode, frontmatter, sections, cards."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from quiz.config import Settings
from quiz.notes import cards as cardlib
from quiz.notes import frontmatter, ids, layouts
from quiz.notes.answering import answer_from_note
from quiz.notes.decode import Decoded, UndecodableError, decode
from quiz.notes.model import Card, Note


class NoteError(Exception):
    """A file that could not be read as a note; ``str()`` names file and reason."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason

    def __reduce__(self) -> tuple[type[NoteError], tuple[str, str]]:
        # A worker process sends it back pickled; the default would call
        # NoteError(message) and fail in the main process.
        return (NoteError, (self.path, self.reason))


#: The largest note read, in bytes. A study note is a few KB; one over this
#: is a dump or a mistake, and reading it would hold up every command.
MAX_NOTE_BYTES = 5 * 1024 * 1024


def _too_big(size: int | None) -> str:
    """``note is 12 MB, over the 5 MB limit; skipped`` (no size: not known)."""
    limit = f"{MAX_NOTE_BYTES / 1024 / 1024:.1f}".removesuffix(".0")
    if size is None:
        return f"note is over the {limit} MB limit; skipped"
    shown = f"{size / 1024 / 1024:.1f}".removesuffix(".0")
    return f"note is {shown} MB, over the {limit} MB limit; skipped"


def read_bytes(file: Path, rel: str) -> bytes:
    """A note file's bytes, refused (``NoteError``) when over ``MAX_NOTE_BYTES``.

    Never reads more than the limit and one byte, whatever the size the
    file claims (a device or a file still growing).
    """
    try:
        with file.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > MAX_NOTE_BYTES:
                raise NoteError(rel, _too_big(size))
            # Ask for the size it says (reading "up to the limit" would
            # allocate the whole limit for every note) and one byte more: a
            # file that grew, or a device that claims 0, shows there.
            raw = handle.read(size + 1)
            if len(raw) > size:
                raw += handle.read(MAX_NOTE_BYTES + 1 - len(raw))
    except OSError as exc:
        raise NoteError(rel, f"cannot read: {exc.strerror or exc}") from None
    if len(raw) > MAX_NOTE_BYTES:
        raise NoteError(rel, _too_big(None))  # it said it was smaller
    return raw


def read_note(file: Path, rel: str, settings: Settings, *, cues_only: bool = False) -> Note:
    """Read ``file`` (``rel`` is its vault-relative path) into a ``Note``.

    ``cues_only`` leaves the other sections out of ``Note.sections``, which
    spares scanning the rest of the body (the index keeps no section text).
    """
    return parse_note(read_bytes(file, rel), rel, settings, cues_only=cues_only)


def parse_note(raw: bytes, rel: str, settings: Settings, *, cues_only: bool = False) -> Note:
    """Build a ``Note`` from a file's bytes; ``cues_only`` as for ``read_note``.

    Bytes over ``MAX_NOTE_BYTES`` are refused with a ``NoteError``.
    """
    if len(raw) > MAX_NOTE_BYTES:
        raise NoteError(rel, _too_big(len(raw)))
    try:
        decoded = decode(raw)
    except UndecodableError as exc:
        raise NoteError(rel, str(exc)) from None
    return _from_text(decoded, rel, settings, cues_only)


def _from_text(decoded: Decoded, rel: str, settings: Settings, cues_only: bool) -> Note:
    warnings: list[str] = []
    if decoded.repair is not None:
        r = decoded.repair
        detail = f"{r.filled} dropped bytes restored by the {r.model} model"
        if r.unresolved:
            detail += f", {r.unresolved} left undecided"
        warnings.append(
            "text was mojibake (UTF-8 read as Windows-1252); repaired in memory "
            f"({detail}); this note will not be written back"
        )
    if decoded.encoding.startswith("utf-16"):
        warnings.append("text is UTF-16; read, but this note will not be written back")
    text = decoded.text.replace("\r\n", "\n").replace("\r", "\n")
    front = frontmatter.split(text)
    if not front.ok:
        warnings.append(f"{front.problem}; cards are still read, the note won't be written back")
    names = settings.sections
    if cues_only:
        names = {role: ns for role, ns in names.items() if role == "cues"}
    sections = cardlib.find_sections(front.body, names)
    title = ids.title_of(rel)
    found = layouts.find_cues(front.body, sections.get("cues"), settings.sections)
    offset = front.body_line  # body line (0-based) + offset + 1 = file line
    for line, problem in found.problems:
        warnings.append(f"line {line + offset + 1}: {problem}")
    if cues_only and any(not cue.answer and cue.passage is None for cue in found.cues):
        # Bare cues need the notes and summary, which a lean read skipped.
        more = {r: ns for r, ns in settings.sections.items() if r in ("notes", "summary")}
        sections.update(cardlib.find_sections(front.body, more))
    answered = _answer_bare(found, sections, warnings, offset)
    # Plain ids: the index may tie some to the path when another note has
    # the same name (``ids.plain_owner``); a session takes the index's ids.
    plain = ids.card_ids(ids.note_key(title), [cue.question for cue, _, _ in answered])
    cards: list[Card] = []
    for ordinal, (cue, source, where) in enumerate(answered):
        cards.append(
            Card(
                id=plain[ordinal],
                note=rel,
                ordinal=ordinal,
                question=cue.question,
                answer=cue.answer,
                line=offset + cue.line + 1,
                answer_source=source,
                answer_from=where,
            )
        )
    texts = {role: s.text.strip("\n") for role, s in sections.items() if role != "cues"}
    if found.summary_callout and "summary" not in texts and not cues_only:
        texts["summary"] = found.summary_callout
    return Note(
        path=rel,
        title=title,
        fields=front.fields,
        frontmatter=front.data,
        frontmatter_ok=front.ok,
        encoding=decoded.encoding,
        repaired=decoded.repair is not None,
        cards=tuple(cards),
        sections=texts,
        warnings=tuple(warnings),
        has_cues=found.has_cues,
    )


def _answer_bare(
    found: layouts.Found,
    sections: dict[str, cardlib.Section],
    warnings: list[str],
    offset: int,
) -> list[tuple[layouts.Cue, str, str]]:
    """Each cue with its answer, answer source and "answer from" text.

    A bare cue is answered from the passage beside it (the text after a cue
    callout), else from the notes or summary section; one that neither can
    answer is dropped with a warning.
    """
    cues = found.cues
    result: list[tuple[layouts.Cue, str, str] | None] = [
        (cue, cue.source, "") if cue.answer else None for cue in cues
    ]
    if all(entry is not None for entry in result):
        return [entry for entry in result if entry is not None]
    # Bare cues that share a nearby passage are answered from it together.
    by_passage: dict[tuple[str, str], list[int]] = {}
    rest: list[int] = []
    for index, cue in enumerate(cues):
        if result[index] is None:
            if cue.passage is not None:
                by_passage.setdefault(cue.passage, []).append(index)
            else:
                rest.append(index)
    for passage, indexes in by_passage.items():
        answers = answer_from_note([cues[i].question for i in indexes], passage, None)
        for i, answer in zip(indexes, answers, strict=True):
            if answer is not None and answer.text.strip():
                result[i] = (replace(cues[i], answer=answer.text), cues[i].source, answer.where)
            else:
                rest.append(i)
    if rest:
        rest.sort()
        notes = _section(sections.get("notes"))
        summary = _section(sections.get("summary"))
        if summary is None and found.summary_callout:
            summary = ("summary", found.summary_callout)
        answers = answer_from_note([cues[i].question for i in rest], notes, summary)
        for i, answer in zip(rest, answers, strict=True):
            if answer is not None and answer.text.strip():
                result[i] = (replace(cues[i], answer=answer.text), answer.source, answer.where)
            else:
                warnings.append(
                    f"line {cues[i].line + offset + 1}: cue question {cues[i].question!r} "
                    "could not be answered: no notes or summary section; not a card"
                )
    return [entry for entry in result if entry is not None]


def _section(section: cardlib.Section | None) -> tuple[str, str] | None:
    if section is None or not section.text.strip():
        return None
    return (section.heading, section.text.strip("\n"))
