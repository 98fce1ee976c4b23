"""Fuzz the reader and the write-back check with hostile input (issue 9).

Random bytes, random YAML-ish frontmatter and long lines built from the
characters the parsers care about go through ``parse_note`` and
``update_frontmatter``. Each must end in a result or in its own refusal
(``NoteError``, ``EditRefused``), never another exception, and within the
deadline per example: a generous bound that the quadratic lines of the
issue (seconds to minutes at these sizes) could not meet, and linear code
meets by a wide margin on a loaded machine.
"""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from quiz.config import Settings
from quiz.notes.fields import Field
from quiz.notes.model import Note
from quiz.notes.reader import NoteError, parse_note
from quiz.writeback import EditRefused, update_frontmatter

SETTINGS = Settings()
FUZZ = settings(
    max_examples=60,
    deadline=2000,  # ms per example
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
UPDATES: dict[Field, object] = {Field.REVIEW_1D: True, Field.REVIEW_STATUS: "추가 복습"}


def read(raw: bytes) -> Note | None:
    try:
        note = parse_note(raw, "fuzz.md", SETTINGS)
    except NoteError as exc:
        assert exc.path == "fuzz.md" and exc.reason
        return None
    # What the index and the screens take from a note: bounded text.
    assert len(note.subject) <= 200 and len(note.textbook) <= 200
    assert note.stages_done is not None
    return note


def write_check(raw: bytes, encoding: str = "utf-8") -> None:
    try:
        new = update_frontmatter(raw, encoding, UPDATES)
    except EditRefused as exc:
        assert exc.reason
        return
    # Only frontmatter values change: the body after it is the same bytes.
    if new != raw:
        assert new.split(b"\n---", 1)[1:] == raw.split(b"\n---", 1)[1:]


@FUZZ
@given(st.binary(max_size=4000))
def test_random_bytes(raw: bytes) -> None:
    note = read(raw)
    if note is not None:
        write_check(raw, note.encoding)


#: Pieces of YAML that matter to a loader: anchors, aliases, merges,
#: collections, quotes, tags, our own keys, and line structure.
YAML_PIECES = [
    "a: ", "b: ", "❤1일복습여부: ", "복습: ", "❕과목: ", "<<: ", "? ", "- ", "  ", "\n", "\t",
    "&a ", "&b ", "*a", "*b", "[", "]", "{", "}", ", ", "'", '"', "|", ">", "!!str ", "#",
    "true", "false", "2026-11-25", "x", "값", ": ", "\\", "\r\n", "...", "---",
]  # fmt: skip


@FUZZ
@given(st.lists(st.sampled_from(YAML_PIECES), max_size=120))
@example(["a: ", "&a ", "[", "x", ", ", "x", "]", "\n", "b: ", "[", "*a", ", ", "*a", "]", "\n"])
@example(["a: ", "&a ", "[", "*a", "]", "\n", "❤1일복습여부: ", "false", "\n"])
def test_random_frontmatter(pieces: list[str]) -> None:
    raw = ("---\n" + "".join(pieces) + "\n---\n### 단서 질문\n\n- q\n    a\n").encode()
    read(raw)
    write_check(raw)


@FUZZ
@given(st.integers(8, 24), st.integers(1, 9))
def test_alias_ladders(levels: int, width: int) -> None:
    # Each level repeats the one before ``width`` times: up to 9**24 leaves.
    lines = ["l0: &l0 [x]"]
    lines += [f"l{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * width) + "]" for n in range(1, levels)]
    raw = ("---\n" + "\n".join(lines) + "\n❤1일복습여부: false\n---\n").encode()
    read(raw)
    write_check(raw)


#: Characters the line scanners and regexes look at, repeated into long runs.
LINE_PIECES = [
    " ", "\t", "#", "[[", "]]", "[", "]", "|", "!", "`", "```", "~~~", "*", "-", "_", "=",
    ">", "<", "1.", "\n", "\n\n", "    ", "- ", "x", "가", "$", "\\", "\r",
]  # fmt: skip


@FUZZ
@given(st.lists(st.tuples(st.sampled_from(LINE_PIECES), st.integers(1, 3000)), max_size=8))
@example([("## 메모", 1), (" ", 30_000), ("끝", 1)])
@example([("- q\n", 1), ("    x\n", 3000)])
def test_long_runs_in_the_body(runs: list[tuple[str, int]]) -> None:
    line = "".join(piece * count for piece, count in runs)
    # Before the cue section, inside it as a question, and as an answer.
    body = f"{line}\n### 단서 질문\n\n- {line}\n    답\n- 질문\n    {line}\n"
    note = read(("---\n❕과목: OS\n---\n" + body).encode())
    if note is not None:
        from quiz.grading import similarity
        from quiz.tui.safe import markdown

        for card in note.cards:
            markdown(card.answer)
            similarity(line[:200], card.answer)
