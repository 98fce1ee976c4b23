"""``restore``: undoing a write-back puts the note's old bytes back, only
over the bytes quiz wrote."""

from __future__ import annotations

import shutil
import stat
from pathlib import Path

import pytest

from quiz.notes.fields import Field
from quiz.writeback import WriteRefused, restore, write_back

from .conftest import SEED_NOTES

SEED = SEED_NOTES / "aws-lambda.md"


@pytest.fixture
def seed(tmp_path: Path) -> Path:
    target = tmp_path / "aws-lambda.md"
    shutil.copyfile(SEED, target)
    return target


def written(seed: Path) -> tuple[bytes, bytes]:
    """The note's bytes before and after a write-back of one flag."""
    original = seed.read_bytes()
    assert write_back(seed, original, "utf-8", {Field.LONG_TERM: True})
    after = seed.read_bytes()
    assert after != original
    return original, after


def test_restore_puts_every_byte_back(seed: Path) -> None:
    original, after = written(seed)
    restore(seed, after, original)
    assert seed.read_bytes() == original == SEED.read_bytes()
    assert sorted(p.name for p in seed.parent.iterdir()) == [seed.name]  # no temp file left


def test_restore_refuses_over_an_edit_made_since(seed: Path) -> None:
    original, after = written(seed)
    edited = after + "\n나중에 적은 메모\n".encode()
    seed.write_bytes(edited)
    with pytest.raises(WriteRefused) as info:
        restore(seed, after, original)
    assert info.value.reason == "it changed on disk since quiz wrote it"
    assert seed.read_bytes() == edited


def test_restore_refuses_a_deleted_or_read_only_note(seed: Path) -> None:
    original, after = written(seed)
    seed.chmod(0o444)
    try:
        with pytest.raises(WriteRefused, match="read-only"):
            restore(seed, after, original)
        assert seed.read_bytes() == after and stat.S_IMODE(seed.stat().st_mode) == 0o444
    finally:
        seed.chmod(0o644)
    seed.unlink()
    with pytest.raises(WriteRefused, match="deleted since quiz wrote it"):
        restore(seed, after, original)
    assert not seed.exists()
