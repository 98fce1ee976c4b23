"""Write-back: only the values of existing fields change, every other byte stays.

Expected bytes are built by hand-editing the input in each test, so a test
fails on any byte the writer touches beyond the value it was asked to change.
"""

from __future__ import annotations

import codecs
import datetime as dt
import os
import re
import shutil
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quiz.notes.fields import Field, field_for_key
from quiz.writeback import EditRefused, WriteRefused, update_frontmatter, write_back

from .conftest import SEED_NOTES

SEED = SEED_NOTES / "aws-lambda.md"
BOM = codecs.BOM_UTF8


def replace_once(data: bytes, old: str, new: str, encoding: str = "utf-8") -> bytes:
    """``data`` with the only occurrence of ``old`` replaced (fails if not exactly one)."""
    old_b, new_b = old.encode(encoding), new.encode(encoding)
    assert data.count(old_b) == 1, old
    return data.replace(old_b, new_b)


def _lines(text: str) -> list[str]:
    """Split on LF only, keeping endings (str.splitlines also splits on \\x85 ...)."""
    out = text.split("\n")
    return [part + "\n" for part in out[:-1]] + ([out[-1]] if out[-1] else [])


def frontmatter_of(raw: bytes, encoding: str = "utf-8") -> dict[Any, Any]:
    text = raw.decode(encoding).removeprefix("\ufeff")
    lines = _lines(text)
    assert lines[0].rstrip("\r\n") == "---"
    close = next(i for i in range(1, len(lines)) if lines[i].rstrip("\r\n") in ("---", "..."))
    data = yaml.load("".join(lines[1:close]), Loader=yaml.CSafeLoader)
    assert isinstance(data, dict)
    return data


@pytest.fixture
def seed(tmp_path: Path) -> Path:
    target = tmp_path / "aws-lambda.md"
    shutil.copyfile(SEED, target)
    return target


def note(tmp_path: Path, data: bytes, name: str = "note.md") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def leftovers(folder: Path, keep: Path) -> list[Path]:
    """Files in ``folder`` other than ``keep`` (temp files the writer left behind)."""
    return [p for p in folder.iterdir() if p != keep]


# --------------------------------------------------------------------------- the seed note


def test_seed_only_the_named_values_change(seed: Path) -> None:
    raw = seed.read_bytes()
    updates: dict[Field, object] = {
        Field.REVIEW_7D: False,
        Field.LONG_TERM: True,
        Field.MIRROR_7D: "0",
        Field.LEARNING_RATE: 0.8,
        Field.PROGRESS: "🟩🟩🟩🟩🟩🟩🟩🟩⬜⬜ 80%",
        Field.REVIEW_STATUS: "완료",
    }
    expected = raw
    expected = replace_once(expected, "💛7일복습여부: true\n", "💛7일복습여부: false\n")
    expected = replace_once(expected, "🧠장기기억: false\n", "🧠장기기억: true\n")
    expected = replace_once(expected, '"7일차복습여부1,0": "1"\n', '"7일차복습여부1,0": "0"\n')
    expected = replace_once(expected, '학습률: "0.6"\n', '학습률: "0.8"\n')
    expected = replace_once(
        expected, "진행바: 🟩🟩🟩🟩🟩🟩⬜⬜⬜⬜ 60%\n", "진행바: 🟩🟩🟩🟩🟩🟩🟩🟩⬜⬜ 80%\n"
    )
    expected = replace_once(expected, "복습: 추가 복습\n", "복습: 완료\n")

    assert update_frontmatter(raw, "utf-8", updates) == expected
    assert write_back(seed, raw, "utf-8", updates) is True
    assert seed.read_bytes() == expected
    assert leftovers(seed.parent, seed) == []


def test_seed_unchanged_values_leave_the_file_alone(seed: Path) -> None:
    raw = seed.read_bytes()
    before = seed.stat()
    same: dict[Field, object] = {
        Field.REVIEW_1D: True,
        Field.LONG_TERM: False,
        Field.LEARNING_RATE: "0.6",
        Field.FIRST_STUDIED: dt.date(2024, 9, 28),
        Field.REVIEW_STATUS: "추가 복습",
    }
    assert update_frontmatter(raw, "utf-8", same) is raw
    assert write_back(seed, raw, "utf-8", same) is False
    assert seed.read_bytes() == raw
    assert seed.stat().st_mtime_ns == before.st_mtime_ns


def test_field_absent_is_not_added(seed: Path) -> None:
    raw = seed.read_bytes()
    # The seed has no day-14 mirror ("14일차복습여부1,0").
    assert update_frontmatter(raw, "utf-8", {Field.MIRROR_14D: "1"}) == raw
    assert write_back(seed, raw, "utf-8", {Field.MIRROR_14D: "1"}) is False
    assert seed.read_bytes() == raw


def test_first_studied_date_on_seed(seed: Path) -> None:
    raw = seed.read_bytes()
    new = update_frontmatter(raw, "utf-8", {Field.FIRST_STUDIED: dt.date(2026, 11, 25)})
    assert new == replace_once(raw, "❕첫 학습날: 2024-09-28\n", "❕첫 학습날: 2026-11-25\n")
    assert frontmatter_of(new)["❕첫 학습날"] == dt.date(2026, 11, 25)


# --------------------------------------------------------------------------- encodings


CRLF_NOTE = (
    "---\r\n"
    "❕첫 학습날: 2024-09-28  \r\n"
    "💛7일복습여부: true\r\n"
    '🛑오늘: "⏰오늘 : 2024/10/27"   \r\n'
    '학습률: "0.6"\r\n'
    "진행바: 🟩🟩🟩🟩🟩🟩⬜⬜⬜⬜ 60%\n"
    "---\r\n"
    "# body\r\n- q\r\n    a\r\n"
)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8"])
def test_crlf_and_bom_are_kept(tmp_path: Path, encoding: str) -> None:
    raw = BOM + CRLF_NOTE.encode("utf-8")
    path = note(tmp_path, raw)
    updates: dict[Field, object] = {Field.REVIEW_7D: False, Field.LEARNING_RATE: 0.8}
    expected = replace_once(raw, "💛7일복습여부: true\r\n", "💛7일복습여부: false\r\n")
    expected = replace_once(expected, '학습률: "0.6"\r\n', '학습률: "0.8"\r\n')
    assert write_back(path, raw, encoding, updates) is True
    assert path.read_bytes() == expected


def test_no_bom_is_added_for_utf8_sig(tmp_path: Path) -> None:
    raw = CRLF_NOTE.encode("utf-8")
    new = update_frontmatter(raw, "utf-8-sig", {Field.REVIEW_7D: False})
    assert new == replace_once(raw, "💛7일복습여부: true\r", "💛7일복습여부: false\r")


def test_cp949_note(tmp_path: Path) -> None:
    text = (
        '---\r\n과목: AWS\r\n복습: 완료\r\n학습률: "0.2"\r\n'
        "4일후(text): 2024/10/02\r\n---\r\n본문\r\n"
    )
    raw = text.encode("cp949")
    path = note(tmp_path, raw)
    updates: dict[Field, object] = {Field.REVIEW_STATUS: "추가 복습", Field.LEARNING_RATE: "0.4"}
    expected = replace_once(raw, "복습: 완료", "복습: 추가 복습", "cp949")
    expected = replace_once(expected, '학습률: "0.2"', '학습률: "0.4"', "cp949")
    assert write_back(path, raw, "cp949", updates) is True
    assert path.read_bytes() == expected


def test_cp949_cannot_hold_emoji(tmp_path: Path) -> None:
    raw = "---\n진행바: ■■□ 60%\n---\n".encode("cp949")
    path = note(tmp_path, raw)
    with pytest.raises(WriteRefused, match="cp949"):
        write_back(path, raw, "cp949", {Field.PROGRESS: "🟩🟩⬜ 70%"})
    assert path.read_bytes() == raw


def test_undecodable_text_is_refused() -> None:
    with pytest.raises(EditRefused, match="not valid utf-8"):
        update_frontmatter(b"---\n\xb0\xfa\xb8\xf1: x\n---\n", "utf-8", {Field.SUBJECT: "y"})


# --------------------------------------------------------------------------- styles


@pytest.mark.parametrize(
    ("line", "value", "new_line"),
    [
        ('학습률: "0.6"', 0.8, '학습률: "0.8"'),
        ('학습률: "0.6"', "0.8", '학습률: "0.8"'),
        ("학습률: 0.6", 0.8, "학습률: 0.8"),
        ("학습률: '0.6'", 0.8, "학습률: '0.8'"),
        ('"1일차복습여부1,0": "0"', "1", '"1일차복습여부1,0": "1"'),
        ("'1일차복습여부1,0': 0", 1, "'1일차복습여부1,0': 1"),
        ("❤1일복습여부: false", True, "❤1일복습여부: true"),
        ("❤1일복습여부: False", True, "❤1일복습여부: True"),
        ("❤1일복습여부: FALSE", True, "❤1일복습여부: TRUE"),
        ("❤1일복습여부: no", True, "❤1일복습여부: yes"),
        ("review_1d: Off", True, "review_1d: On"),
        ('❤1일복습여부: "False"', True, '❤1일복습여부: "True"'),
        ("❕학습정도: '🤔중'", "😀상", "❕학습정도: '😀상'"),
        ("❕학습정도: '🤔중'", "it's", "❕학습정도: 'it''s'"),
        ('❕학습정도: "🤔중"', 'say "hi" \\o/', '❕학습정도: "say \\"hi\\" \\\\o/"'),
        ("복습: 완료   # 메모  ", "추가 복습", "복습: 추가 복습   # 메모  "),
        ('복습: "완료" # 메모', "추가 복습", '복습: "추가 복습" # 메모'),
        ("❕첫 학습날:", dt.date(2026, 11, 25), "❕첫 학습날: 2026-11-25"),
        ("❕첫 학습날: ", dt.date(2026, 11, 25), "❕첫 학습날: 2026-11-25"),
        ("❕첫 학습날:   # 아직", dt.date(2026, 11, 25), "❕첫 학습날: 2026-11-25  # 아직"),
        ('❕첫 학습날: ""', dt.date(2026, 11, 25), '❕첫 학습날: "2026-11-25"'),
        ("❕첫 학습날: ''", dt.date(2026, 11, 25), "❕첫 학습날: '2026-11-25'"),
        ("first_studied: 2024-01-02", dt.date(2026, 11, 25), "first_studied: 2026-11-25"),
        ("복습:", "추가 복습", "복습: 추가 복습"),
        ("복습: # 메모", "추가 복습", "복습: 추가 복습 # 메모"),
        ("복습:    # 메모", "추가 복습", "복습: 추가 복습   # 메모"),
        ("복습:\t\t# 메모", "추가 복습", "복습:\t추가 복습\t# 메모"),
        ("복습:\t완료\t# 메모", "추가 복습", "복습:\t추가 복습\t# 메모"),
    ],
)
def test_value_keeps_its_style(line: str, value: object, new_line: str) -> None:
    raw = f"---\n앞: 1\n{line}\n뒤: 2\n---\nbody\n".encode()
    expected = f"---\n앞: 1\n{new_line}\n뒤: 2\n---\nbody\n".encode()
    field = field_for_key(line.split(":")[0].strip("\"'"))
    assert field is not None
    assert update_frontmatter(raw, "utf-8", {field: value}) == expected


@pytest.mark.parametrize(
    "text",
    [
        "yes",
        "No",
        "true",
        "null",
        "~",
        ": x",
        "a: b",
        "a #b",
        "#x",
        "[a]",
        "{b}",
        "*c",
        "&d",
        "!e",
        "%f",
        "@g",
        "`h",
        "|i",
        ">j",
        "- x",
        "-5",
        "0.8",
        "12",
        "0x1F",
        "1:20",
        "2024-01-01",
        ".inf",
        " lead",
        "trail ",
        "end:",
        "",
        "두 줄\n둘째",
        "탭\t",
        "\x00\x1b\x7f\x85\u2028\ufeff",
        "'q'",
        '"dq"',
    ],
)
def test_plain_string_that_yaml_would_misread_is_quoted(text: str) -> None:
    raw = "---\n복습: 완료\n---\n".encode()
    new = update_frontmatter(raw, "utf-8", {Field.REVIEW_STATUS: text})
    line = new.decode().splitlines()[1]
    assert line.startswith('복습: "') and line.endswith('"')
    assert frontmatter_of(new) == {"복습": text}


@pytest.mark.parametrize("text", ["추가 복습", "🟩🟩⬜ 20%", "C# 문법", "a:b", "2024/10/02", "x-y"])
def test_plain_string_that_reads_back_stays_plain(text: str) -> None:
    raw = "---\n복습: 완료\n---\n".encode()
    assert update_frontmatter(raw, "utf-8", {Field.REVIEW_STATUS: text}) == (
        f"---\n복습: {text}\n---\n".encode()
    )


def test_typed_values_in_plain_slots_read_back_with_their_type() -> None:
    raw = b"---\nlevel: x\nsubject: x\nlearning_rate: x\n---\n"
    updates: dict[Field, object] = {Field.LEVEL: 3, Field.SUBJECT: True, Field.LEARNING_RATE: 1e20}
    new = update_frontmatter(raw, "utf-8", updates)
    assert frontmatter_of(new) == {"level": 3, "subject": True, "learning_rate": 1e20}
    assert type(frontmatter_of(new)["learning_rate"]) is float


@pytest.mark.parametrize("value", [None, dt.datetime(2026, 1, 1, 12, 0), [1], object()])
def test_unsupported_value_types_are_a_programming_error(value: object) -> None:
    with pytest.raises(TypeError):
        update_frontmatter(b"---\nsubject: x\n---\n", "utf-8", {Field.SUBJECT: value})


def test_no_frontmatter_means_nothing_to_update(tmp_path: Path) -> None:
    raw = "# 제목\n\n- 질문\n    답\n".encode()
    path = note(tmp_path, raw)
    assert write_back(path, raw, "utf-8", {Field.REVIEW_1D: True}) is False
    assert path.read_bytes() == raw


def test_empty_frontmatter_means_nothing_to_update() -> None:
    raw = b"---\n---\nbody\n"
    assert update_frontmatter(raw, "utf-8", {Field.REVIEW_1D: True}) == raw


def test_frontmatter_may_close_with_dots() -> None:
    raw = b"---\nreview_1d: false\n...\nbody\n"
    new = update_frontmatter(raw, "utf-8", {Field.REVIEW_1D: True})
    assert new == b"---\nreview_1d: true\n...\nbody\n"


def test_body_lookalikes_are_never_touched() -> None:
    raw = "---\n복습: 완료\n---\n복습: 완료\n---\n복습: 완료\n".encode()
    new = update_frontmatter(raw, "utf-8", {Field.REVIEW_STATUS: "추가 복습"})
    assert new == "---\n복습: 추가 복습\n---\n복습: 완료\n---\n복습: 완료\n".encode()


# --------------------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("frontmatter", "match"),
    [
        ("복습: a\n복습: b\n", "more than once"),
        ("복습: a\nreview_status: b\n", "more than once"),
        ("복습: [\n", "not valid YAML"),
        ("복습: a\n  b: c\n", "not valid YAML"),
        ("\t복습: a\n", "not valid YAML"),
        ("- 복습\n- a\n", "not a YAML mapping"),
        ("just text\n", "not a YAML mapping"),
        ("복습: |\n  완료\n", "block scalar"),
        ("복습: >-\n  완료\n", "block scalar"),
        ("복습: [a, b]\n", "list or mapping"),
        ("복습: {a: b}\n", "list or mapping"),
        ("복습:\n  - a\n", "list or mapping"),
        ("복습: &x 완료\n", "anchor or a tag"),
        ("복습: !!str 완료\n", "anchor or a tag"),
        ("a: &x 완료\n복습: *x\n", "alias"),
        ("복습: 완\n  료\n", "not on the key's line"),
        ('복습: "완\n  료"\n', "not on the key's line"),
        ("복습:\n  완료\n", "not on the key's line"),
        ("? 복습\n: 완료\n", "not a simple"),
        ("{복습: 완료}\n", "flow mapping"),
        ("복습: 완료\r오늘: x\n", "lone carriage return"),
    ],
)
def test_frontmatter_that_cannot_be_edited_safely_is_refused(
    tmp_path: Path, frontmatter: str, match: str
) -> None:
    raw = f"---\n{frontmatter}---\nbody\n".encode()
    with pytest.raises(EditRefused, match=match):
        update_frontmatter(raw, "utf-8", {Field.REVIEW_STATUS: "추가 복습"})
    path = note(tmp_path, raw)
    with pytest.raises(WriteRefused, match=match) as info:
        write_back(path, raw, "utf-8", {Field.REVIEW_STATUS: "추가 복습"})
    assert info.value.path == path
    assert str(path) in str(info.value)
    assert path.read_bytes() == raw
    assert leftovers(tmp_path, path) == []


def test_a_key_given_twice_is_refused_even_when_not_updated() -> None:
    # YAML reads the last one; which one the learner meant is ambiguous.
    raw = "---\n복습: a\n복습: b\n학습률: '0.2'\n---\n".encode()
    with pytest.raises(EditRefused, match=r"key '복습' more than once \(lines 2 and 3\)"):
        update_frontmatter(raw, "utf-8", {Field.LEARNING_RATE: "0.4"})


def test_broken_yaml_is_refused_even_without_a_matching_field() -> None:
    with pytest.raises(EditRefused, match="not valid YAML"):
        update_frontmatter(b"---\na: [\n---\n", "utf-8", {Field.REVIEW_1D: True})


def test_unclosed_frontmatter_is_refused() -> None:
    with pytest.raises(EditRefused, match="closing"):
        update_frontmatter(b"---\nreview_1d: false\nbody\n", "utf-8", {Field.REVIEW_1D: True})


def test_changed_on_disk_is_refused(seed: Path) -> None:
    raw = seed.read_bytes()
    edited_by_learner = raw + "\n추가 메모\n".encode()
    seed.write_bytes(edited_by_learner)
    with pytest.raises(WriteRefused, match="changed on disk"):
        write_back(seed, raw, "utf-8", {Field.REVIEW_7D: False})
    assert seed.read_bytes() == edited_by_learner
    assert leftovers(seed.parent, seed) == []


def test_same_size_change_on_disk_is_refused(seed: Path) -> None:
    raw = seed.read_bytes()
    edited = replace_once(raw, "❕과목: AWS", "❕과목: GCP")
    seed.write_bytes(edited)
    with pytest.raises(WriteRefused, match="changed on disk"):
        write_back(seed, raw, "utf-8", {Field.REVIEW_7D: False})
    assert seed.read_bytes() == edited


def test_change_while_writing_is_refused(seed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = seed.read_bytes()
    edited = raw + b"\nsaved by the editor meanwhile\n"
    real_fsync: Callable[[int], None] = os.fsync

    def fsync_then_editor_saves(fd: int) -> None:
        real_fsync(fd)
        seed.write_bytes(edited)

    monkeypatch.setattr(os, "fsync", fsync_then_editor_saves)
    with pytest.raises(WriteRefused, match="changed on disk"):
        write_back(seed, raw, "utf-8", {Field.REVIEW_7D: False})
    assert seed.read_bytes() == edited
    assert leftovers(seed.parent, seed) == []


def test_deleted_note_is_refused(seed: Path) -> None:
    raw = seed.read_bytes()
    seed.unlink()
    with pytest.raises(WriteRefused, match="deleted"):
        write_back(seed, raw, "utf-8", {Field.REVIEW_7D: False})
    assert not seed.exists()
    assert list(seed.parent.iterdir()) == []


def test_read_only_note_is_refused(seed: Path) -> None:
    raw = seed.read_bytes()
    seed.chmod(0o444)
    try:
        assert not seed.stat().st_mode & stat.S_IWUSR
        with pytest.raises(WriteRefused, match="read-only"):
            write_back(seed, raw, "utf-8", {Field.REVIEW_7D: False})
        assert seed.read_bytes() == raw
        assert stat.S_IMODE(seed.stat().st_mode) == 0o444
        assert leftovers(seed.parent, seed) == []
    finally:
        seed.chmod(0o644)


def test_repaired_note_is_refused(seed: Path) -> None:
    raw = seed.read_bytes()
    with pytest.raises(WriteRefused, match="repaired"):
        write_back(seed, raw, "utf-8", {Field.REVIEW_7D: False}, repaired=True)
    assert seed.read_bytes() == raw


def test_failed_rename_leaves_no_temp_file(seed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = seed.read_bytes()

    def broken_replace(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(WriteRefused, match="No space left"):
        write_back(seed, raw, "utf-8", {Field.REVIEW_7D: False})
    assert seed.read_bytes() == raw
    assert leftovers(seed.parent, seed) == []


def test_unexpected_error_leaves_no_temp_file(seed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = seed.read_bytes()

    def boom(src: object, dst: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(KeyboardInterrupt):
        write_back(seed, raw, "utf-8", {Field.REVIEW_7D: False})
    assert seed.read_bytes() == raw
    assert leftovers(seed.parent, seed) == []


# --------------------------------------------------------------------------- the file


def test_permission_bits_are_kept(seed: Path) -> None:
    seed.chmod(0o640)
    raw = seed.read_bytes()
    assert write_back(seed, raw, "utf-8", {Field.REVIEW_7D: False}) is True
    assert stat.S_IMODE(seed.stat().st_mode) == 0o640


def test_symlinked_note_stays_a_symlink(seed: Path, tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    vault.mkdir()
    link = vault / "link.md"
    link.symlink_to(seed)
    raw = seed.read_bytes()
    assert write_back(link, raw, "utf-8", {Field.REVIEW_7D: False}) is True
    assert link.is_symlink()
    assert frontmatter_of(seed.read_bytes())["💛7일복습여부"] is False


# --------------------------------------------------------------------------- property

#: The learner's template keys as written in the seed, with their English aliases.
LEARNER_KEYS: list[tuple[tuple[str, ...], Field, str]] = [
    (("❕첫 학습날", "first_studied"), Field.FIRST_STUDIED, "date"),
    (("❕과목", "subject"), Field.SUBJECT, "text"),
    (("❕교재", "textbook"), Field.TEXTBOOK, "text"),
    (("❕학습정도", "level"), Field.LEVEL, "text"),
    (("❤1일복습여부", "review_1d"), Field.REVIEW_1D, "bool"),
    (("🧡4일복습여부", "review_4d"), Field.REVIEW_4D, "bool"),
    (("💛7일복습여부", "review_7d"), Field.REVIEW_7D, "bool"),
    (("💚14일복습여부", "review_14d"), Field.REVIEW_14D, "bool"),
    (("🧠장기기억", "long_term"), Field.LONG_TERM, "bool"),
    (("복습", "review_status"), Field.REVIEW_STATUS, "text"),
    (('"1일차복습여부1,0"',), Field.MIRROR_1D, "mirror"),
    (('"4일차복습여부1,0"',), Field.MIRROR_4D, "mirror"),
    (('"7일차복습여부1,0"',), Field.MIRROR_7D, "mirror"),
    (('"14일차복습여부1,0"',), Field.MIRROR_14D, "mirror"),
    (('"장기기억저장여부1,0"',), Field.MIRROR_LONG_TERM, "mirror"),
    (("학습률", "learning_rate"), Field.LEARNING_RATE, "rate"),
    (("진행바", "progress"), Field.PROGRESS, "text"),
]

TRICKY = [
    "추가 복습",
    "🤔중",
    "🟩🟩🟩🟩🟩🟩⬜⬜⬜⬜ 60%",
    "@2024년 10월 2일",
    "⏰오늘 : 2024/10/27",
    "2024/10/02",
    "yes",
    "no",
    "null",
    "~",
    "#x",
    ": x",
    "a: b",
    "a #b",
    "[a]",
    "{b}",
    "*c",
    "&d",
    "!e",
    "%f",
    "@g",
    "`h",
    "0.8",
    "-5",
    "1:20",
    "2024-01-01",
    "it's",
    'say "hi"',
    "back\\slash",
    " lead",
    "trail ",
    "",
]
texts = st.one_of(
    st.sampled_from(TRICKY),
    st.text(st.characters(codec="utf-8"), max_size=12),
)
KEY_ALPHABET = "가나다라마바사아자차카타파하복습오늘첫날AbcXyz019 ()/?🛑❕🤔_-."
comments = st.text(st.characters(exclude_categories=("Cs", "Cc", "Cn", "Zl", "Zp")), max_size=8)


def plain_reads_back(text: str, value: object) -> bool:
    """Whether ``text`` unquoted after ``k: `` reads back as ``value`` (test-side check)."""
    if not text or text != text.strip() or " #" in text or ": " in text or text.endswith(":"):
        return False
    if any(ch in text for ch in "\r\n\t\x85\u2028\u2029") or text[0] in "-?:,[]{}#&*!|>'\"%@`":
        return False
    try:
        loaded = yaml.load(f"k: {text}\n", Loader=yaml.CSafeLoader)
    except yaml.YAMLError:
        return False
    return (
        isinstance(loaded, dict) and type(loaded.get("k")) is type(value) and loaded["k"] == value
    )


def double_quoted(text: str) -> str:
    """``text`` as a one-line YAML double-quoted scalar, by PyYAML's own emitter."""
    dumped = yaml.dump(text, default_style='"', allow_unicode=True, width=10**9)
    assert dumped.endswith("\n") and "\n" not in dumped[:-1], dumped
    return dumped[:-1]


def unquote(key: str) -> str:
    loaded = yaml.load(f"{key}: 0", Loader=yaml.CSafeLoader)
    assert isinstance(loaded, dict) and len(loaded) == 1
    (name,) = loaded
    assert isinstance(name, str)
    return name


#: What YAML 1.1 accepts in a stream; single quotes have no escapes for the rest.
PRINTABLE = re.compile(
    "[\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]*"
)


@dataclass
class Line:
    key: str  # as written, quotes included
    field: Field | None
    kind: str
    style: str  # "plain", "double", "single", "empty"
    prefix: str  # key + ":" + separator: kept by the writer
    value: str  # the value span as written
    suffix: str  # trailing blanks, comment and line ending: kept by the writer


@st.composite
def value_for(draw: st.DrawFn, kind: str) -> tuple[str, str]:
    """(style, written value) for a line of ``kind``."""
    if kind == "bool":
        if draw(st.booleans()):
            word = draw(st.sampled_from(["true", "false", "True", "False", "TRUE", "yes", "No"]))
            return "plain", word
        return "double", draw(st.sampled_from(['"true"', '"false"']))
    if kind == "date":
        day = draw(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 1, 1)))
        return draw(
            st.sampled_from(
                [
                    ("plain", day.isoformat()),
                    ("double", f'"{day}"'),
                    ("empty", ""),
                    ("double", '""'),
                ]
            )
        )
    if kind == "mirror":
        return draw(st.sampled_from([("double", '"1"'), ("double", '"0"'), ("plain", "1")]))
    if kind == "rate":
        rate = draw(st.sampled_from(["0.0", "0.2", "0.6", "1.0"]))
        return draw(
            st.sampled_from([("double", f'"{rate}"'), ("plain", rate), ("single", f"'{rate}'")])
        )
    text = draw(texts)
    style = draw(st.sampled_from(["plain", "double", "single", "empty"]))
    if style == "empty":
        return "empty", ""
    if style == "plain" and plain_reads_back(text, text):
        return "plain", text
    if style == "single" and PRINTABLE.fullmatch(text):
        return "single", "'" + text.replace("'", "''") + "'"
    return "double", double_quoted(text)


@st.composite
def lines_for(draw: st.DrawFn) -> list[Line]:
    chosen = draw(
        st.lists(st.sampled_from(LEARNER_KEYS), unique_by=lambda k: k[1], min_size=1, max_size=17)
    )
    unknown = draw(
        st.lists(
            st.text(st.sampled_from(KEY_ALPHABET), min_size=1, max_size=8).map(str.strip),
            max_size=8,
        )
    )
    entries: list[tuple[str, Field | None, str]] = [
        (draw(st.sampled_from(spellings)), field, kind) for spellings, field, kind in chosen
    ]
    seen = {unquote(k) for k, _, _ in entries}
    for name in unknown:
        if not name or name in seen or field_for_key(name) is not None:
            continue
        seen.add(name)
        key = name if plain_reads_back(name, name) else double_quoted(name)
        entries.append((key, None, draw(st.sampled_from(["text", "bool", "date", "rate"]))))
    entries = list(draw(st.permutations(entries)))
    out: list[Line] = []
    for key, field, kind in entries:
        style, value = draw(value_for(kind))
        separator = "" if style == "empty" else draw(st.sampled_from([" ", "  "]))
        trailing = draw(st.sampled_from(["", " ", "   "]))
        comment = ""
        if draw(st.booleans()):
            comment = " # " + draw(comments)
        eol = draw(st.sampled_from(["\n", "\r\n"]))
        prefix = f"{key}:{separator}"
        suffix = f"{trailing}{comment}{eol}"
        out.append(Line(key, field, kind, style, prefix, value, suffix))
    return out


def update_for(kind: str) -> st.SearchStrategy[object]:
    if kind == "bool":
        return st.booleans()
    if kind == "date":
        return st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 1, 1))
    if kind == "mirror":
        return st.sampled_from(["1", "0", 1, 0])
    if kind == "rate":
        return st.sampled_from([0.0, 0.2, 0.8, 1.0, "0.4", "1.0"])
    return texts


def quoted_form(value: object) -> str:
    """What a quoted slot reads back as (generated quoted booleans are lower case)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


@settings(
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_property_only_value_spans_change(data: st.DataObject) -> None:
    lines = data.draw(lines_for(), label="lines")
    bom = data.draw(st.booleans(), label="bom")
    encoding = "utf-8-sig" if bom else data.draw(st.sampled_from(["utf-8", "utf-8-sig"]))
    opening = "---" + data.draw(st.sampled_from(["\n", "\r\n"]))
    closing = data.draw(st.sampled_from(["---\n", "---\r\n", "...\n", "---"]))
    body = data.draw(st.text(st.characters(codec="utf-8"), max_size=40), label="body")
    if not closing.endswith("\n"):
        body = ""
    text = opening + "".join(ln.prefix + ln.value + ln.suffix for ln in lines) + closing + body
    raw = (BOM if bom else b"") + text.encode("utf-8")
    before = frontmatter_of(raw)

    present = [ln for ln in lines if ln.field is not None]
    targets = data.draw(
        st.lists(st.sampled_from(present), unique_by=lambda ln: ln.field, min_size=1),
        label="to update",
    )
    updates: dict[Field, object] = {}
    for ln in targets:
        assert ln.field is not None
        updates[ln.field] = data.draw(update_for(ln.kind), label=ln.field.value)

    new = update_frontmatter(raw, encoding, updates)

    # Byte level: the BOM, both delimiters and the body are untouched, every
    # line keeps its count and position, and a changed line keeps its key,
    # separator, trailing blanks, comment and line ending.
    assert new.startswith(BOM) == bom
    new_text = new.removeprefix(BOM).decode("utf-8")
    old_lines = _lines(text)
    new_lines = _lines(new_text)
    assert len(new_lines) == len(old_lines)
    assert new_lines[0] == old_lines[0]
    assert new_lines[len(lines) + 1 :] == old_lines[len(lines) + 1 :]
    updated = {id(ln) for ln in targets}
    for i, ln in enumerate(lines, start=1):
        if id(ln) not in updated:
            assert new_lines[i] == old_lines[i]
            continue
        old, got = old_lines[i], new_lines[i]
        if ln.style == "empty":
            # An insertion after the colon, or after the first blank behind it.
            cuts = [len(ln.prefix)] + ([len(ln.prefix) + 1] if ln.suffix[:1] in " \t" else [])
            assert any(
                got.startswith(old[:cut]) and got.endswith(old[cut:]) and len(got) > len(old)
                for cut in cuts
            ), (old, got)
        else:
            assert got.startswith(ln.prefix), (old, got)
            assert got.endswith(ln.suffix), (old, got)
            assert len(got) >= len(ln.prefix) + len(ln.suffix)

    # YAML level: updated fields read back as intended, everything else as before.
    after = frontmatter_of(new)
    assert after.keys() == before.keys()
    for ln in lines:
        key = unquote(ln.key)
        if id(ln) in updated:
            assert ln.field is not None
            value = updates[ln.field]
            if ln.style in ("double", "single"):
                want: object = quoted_form(value)
            else:
                want = value
            got = after[key]
            assert type(got) is type(want) and got == want, (ln, value, got)
        else:
            assert type(after[key]) is type(before[key]) and after[key] == before[key]


def test_delimiter_lines_may_have_trailing_blanks() -> None:
    # The reader takes "--- " as the opening line; write-back must agree.
    raw = b"--- \r\nreview_1d: false\r\n---\t \r\nbody\n--- \n"
    new = update_frontmatter(raw, "utf-8", {Field.REVIEW_1D: True})
    assert new == b"--- \r\nreview_1d: true\r\n---\t \r\nbody\n--- \n"
