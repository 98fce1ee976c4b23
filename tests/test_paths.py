"""Paths a command takes: ``--note`` is confined to the vault and normalised.

Every spelling of a note inside the vault reaches the same key; every path out
of it (by ``..``, an absolute path, a symlink), a non-regular file, a dot-folder
or a missing note is refused with exit code 2 before a session or an index
exists, and nothing outside the vault is read or written.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from sqlite_utils import Database

from quiz.cli import main
from quiz.vault import NotePathError, note_key, walk

IAM = "AWS/IAM 정책.md"
TODAY = "2026-11-25"  # IAM 정책 is due (day 7) on this day in sample_notes
VICTIM = "---\n❕과목: x\n💛7일복습여부: false\n---\n## Cues\n\n- Q?\n\tA.\n"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A note beside the vault, never to be read or written."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "victim.md").write_text(VICTIM, encoding="utf-8")
    return folder


def study(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    vault: Path,
    db: Path,
    note: str,
    answers: str = "",
) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(answers))
    code = main(["study", str(vault), "--plain", "--today", TODAY, "--db", str(db), "--note", note])
    out, err = capsys.readouterr()
    return code, out, err


# -- ordinary spellings: the note is quizzed, written back, the session complete ---------


@pytest.mark.parametrize(
    "spelling",
    [
        "./AWS/IAM 정책.md",
        "AWS/../AWS/IAM 정책.md",
        "AWS//IAM 정책.md",
        "AWS/./IAM 정책.md",
        "<abs>",
    ],
)
def test_every_spelling_inside_the_vault_quizzes_the_note(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    vault: Path,
    db_path: Path,
    spelling: str,
) -> None:
    note = str(vault / "AWS" / "IAM 정책.md") if spelling == "<abs>" else spelling
    before = (vault / IAM).read_bytes()
    code, out, err = study(capsys, monkeypatch, vault, db_path, note, "\n3\n" * 20)
    assert code == 0, err
    assert "review fields written back" in out
    assert (vault / IAM).read_bytes() != before
    db = Database(db_path)
    sessions = list(db.query("SELECT note_path, complete, written FROM sessions"))
    assert sessions == [{"note_path": IAM, "complete": 1, "written": 1}]
    db.close()


def test_absolute_path_through_a_symlinked_vault_is_inside(tmp_path: Path, vault: Path) -> None:
    link = tmp_path / "vault-link"
    link.symlink_to(vault)
    assert note_key(link, str(vault / IAM)) == IAM
    assert note_key(vault, str(link / IAM)) == IAM


# -- refused before anything starts: exit 2, nothing read, no index -------------------


@pytest.mark.parametrize(
    ("spelling", "message"),
    [
        ("../outside/victim.md", "outside the vault"),
        ("<outside-abs>", "outside the vault"),
        ("/dev/zero", "outside the vault"),
        ("/etc/shadow", "outside the vault"),
        ("AWS/../../outside/victim.md", "outside the vault"),
        (".trash/x.md", "dot-folder"),
        ("linked/victim.md", "symlinked folder"),
        ("victim-link.md", "symlink pointing outside the vault"),
        ("fifo.md", "not a regular file"),
        ("zero.md", "symlink pointing outside the vault"),
        ("fifo-link.md", "not a regular file"),
        ("AWS", "not a Markdown note"),
        ("AWS/IAM정책.md", "did you mean 'AWS/IAM 정책.md'?"),
        ("nothing/like/this/at/all.md", "no such note"),
    ],
)
def test_paths_that_are_not_notes_of_the_vault_are_refused_with_exit_2(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    vault: Path,
    outside: Path,
    db_path: Path,
    spelling: str,
    message: str,
) -> None:
    (vault / ".trash").mkdir()
    (vault / ".trash" / "x.md").write_text(VICTIM, encoding="utf-8")
    (vault / "linked").symlink_to(outside)
    (vault / "victim-link.md").symlink_to(outside / "victim.md")
    os.mkfifo(vault / "fifo.md")  # opening it would hang the test
    (vault / "zero.md").symlink_to("/dev/zero")  # reading it would never end
    (vault / "fifo-link.md").symlink_to(vault / "fifo.md")
    note = str(outside / "victim.md") if spelling == "<outside-abs>" else spelling
    victim = (outside / "victim.md").read_bytes()
    code, out, err = study(capsys, monkeypatch, vault, db_path, note, "\n3\n" * 5)
    assert code == 2
    assert message in err and err.startswith("quiz: --note ")
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert out == ""
    assert not db_path.exists(), "no index is made for a refused command"
    assert (outside / "victim.md").read_bytes() == victim


def test_did_you_mean_is_not_offered_without_a_close_match(vault: Path) -> None:
    with pytest.raises(NotePathError) as info:
        note_key(vault, "zzzz.md")
    assert "did you mean" not in str(info.value)


# -- the walk: a symlinked note pointing out is not part of the vault --------------------


def test_walk_skips_note_symlinks_pointing_outside_but_keeps_inside_ones(
    vault: Path, outside: Path
) -> None:
    (vault / "victim-link.md").symlink_to(outside / "victim.md")
    (vault / "alias.md").symlink_to(vault / IAM)
    rels = {f.rel for f in walk(vault)}
    assert "victim-link.md" not in rels
    assert "alias.md" in rels and IAM in rels
