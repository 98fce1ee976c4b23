"""Temporary files of atomic writes: short names, leftovers of a crash cleaned."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from quiz.export import write_atomic
from quiz.notes.fields import Field
from quiz.writeback import write_back

NOTE = '---\n❕과목: 국어\n학습률: "0.4"\n---\n## Cues\n\n- 질문?\n\t답.\n'
HOUR_AGO = time.time() - 3600


def test_a_note_named_with_80_hangul_syllables_is_written_back(tmp_path: Path) -> None:
    note = tmp_path / ("가" * 80 + ".md")
    assert len(note.name.encode("utf-8")) == 243  # the file system allows 255
    raw = NOTE.encode("utf-8")
    note.write_bytes(raw)
    assert write_back(note, raw, "utf-8", {Field.LEARNING_RATE: "0.6"}) is True
    assert note.read_bytes() == raw.replace(b'"0.4"', b'"0.6"')
    assert sorted(p.name for p in tmp_path.iterdir()) == [note.name]


def test_an_export_named_with_80_hangul_syllables_is_written(tmp_path: Path) -> None:
    out = tmp_path / ("나" * 80 + ".ics")
    write_atomic(out, b"BEGIN:VCALENDAR\r\n")
    assert out.read_bytes() == b"BEGIN:VCALENDAR\r\n"
    assert [p.name for p in tmp_path.iterdir()] == [out.name]


def leftovers(folder: Path) -> tuple[set[str], set[str]]:
    """Stale temp files (new and old names), and files that must stay."""
    stale = {".quiz-ab12cd34.tmp", ".note.md.k2j_9x0a.tmp", ".reviews.ics.0123456789ab.tmp"}
    keep = {".quiz-fresh123.tmp", ".mine.tmp", "notes.tmp", ".quiz-ab12cd34.tmp.bak"}
    for name in stale | keep:
        (folder / name).write_bytes(b"half a note")
    for name in stale | {".mine.tmp", "notes.tmp", ".quiz-ab12cd34.tmp.bak"}:
        os.utime(folder / name, (HOUR_AGO, HOUR_AGO))
    return stale, keep


@pytest.mark.parametrize("writer", ["note", "export"])
def test_stale_leftovers_are_removed_at_the_next_write_to_the_folder(
    tmp_path: Path, writer: str
) -> None:
    stale, keep = leftovers(tmp_path)
    if writer == "note":
        target = tmp_path / "note.md"
        target.write_bytes(NOTE.encode("utf-8"))
        write_back(target, target.read_bytes(), "utf-8", {Field.LEARNING_RATE: "0.6"})
    else:
        target = tmp_path / "reviews.ics"
        write_atomic(target, b"BEGIN:VCALENDAR\r\n")
    names = {p.name for p in tmp_path.iterdir()}
    assert names == keep | {target.name}
    assert not stale & names


def test_a_symlink_with_a_leftover_name_is_not_followed_or_removed(tmp_path: Path) -> None:
    precious = tmp_path / "precious.md"
    precious.write_text("keep me", encoding="utf-8")
    link = tmp_path / ".quiz-ab12cd34.tmp"
    link.symlink_to(precious)
    os.utime(link, (HOUR_AGO, HOUR_AGO), follow_symlinks=False)
    write_atomic(tmp_path / "out.csv", b"a,b\n")
    assert link.is_symlink() and precious.read_text(encoding="utf-8") == "keep me"
