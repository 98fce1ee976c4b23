"""Settings from quiz.toml: defaults, overrides, clear errors naming the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from quiz.config import Settings, SettingsError, load_settings, user_settings_path


def test_defaults_without_any_file(tmp_path: Path) -> None:
    s = load_settings(tmp_path)
    assert s.offsets == (1, 4, 7, 14, 30) and s.pass_ratio == 0.8
    assert "단서 질문" in s.sections["cues"] and s.source is None


def test_vault_file_overrides(tmp_path: Path) -> None:
    (tmp_path / "quiz.toml").write_text(
        '[sections]\ncues = ["질문"]\n[stages]\noffsets = [1, 3, 7, 15, 60]\npass_ratio = 0.9\n'
        '[vault]\ndefault = "~/notes"\n',
        encoding="utf-8",
    )
    s = load_settings(tmp_path)
    assert s.sections["cues"] == ("질문",) and s.sections["notes"][:2] == ("핵심 필기", "Notes")
    assert s.offsets == (1, 3, 7, 15, 60) and s.pass_ratio == 0.9
    assert s.default_vault == Path("~/notes").expanduser()
    assert s.source == tmp_path / "quiz.toml"


def test_user_file_is_the_fallback(tmp_path: Path) -> None:
    user = user_settings_path()
    user.parent.mkdir(parents=True, exist_ok=True)
    user.write_text("[stages]\npass_ratio = 0.5\n", encoding="utf-8")
    assert load_settings(tmp_path).pass_ratio == 0.5
    (tmp_path / "quiz.toml").write_text("", encoding="utf-8")
    assert load_settings(tmp_path).pass_ratio == 0.8


@pytest.mark.parametrize(
    ("toml", "key"),
    [
        ("[stages]\npass_ratio = 2\n", "stages.pass_ratio"),
        ("[stages]\npass_ratio = true\n", "stages.pass_ratio"),
        ("[stages]\noffsets = [1, 4]\n", "stages.offsets"),
        ("[stages]\noffsets = [7, 4, 1, 14, 30]\n", "stages.offsets"),
        ("[stages]\noffsets = [0, 0, 0, 0, 0]\n", "stages.offsets"),
        ("[stages]\noffsets = [1, 4, 4, 14, 30]\n", "stages.offsets"),
        ("[stages]\noffsets = [0, 4, 7, 14, 30]\n", "stages.offsets"),
        ("[stages]\noffsets = [1, 4, 7, 14, 3000000]\n", "stages.offsets"),
        ("[sections]\ncues = ['']\n", "sections.cues"),
        ("[sections]\nnotes = ['Notes', '   ']\n", "sections.notes"),
        ("[sections]\nsummary = ''\n", "sections.summary"),
        ("[stages]\nspeed = 1\n", "stages.speed"),
        ("[sections]\ncues = 3\n", "sections.cues"),
        ("[sections]\nappendix = ['x']\n", "sections.appendix"),
        ("[vault]\ndefault = 1\n", "vault.default"),
        ("colour = 'red'\n", "colour"),
        ("stages = 1\n", "stages"),
        ("[session]\nrelearn = ['good']\n", "session.relearn"),
        ("[session]\nrelearn = 'again'\n", "session.relearn"),
        ("[session]\nrelearn = [1]\n", "session.relearn"),
        ("[session]\nrepeat = true\n", "session.repeat"),
        ("session = 1\n", "session"),
    ],
)
def test_bad_values_name_the_key(tmp_path: Path, toml: str, key: str) -> None:
    (tmp_path / "quiz.toml").write_text(toml, encoding="utf-8")
    with pytest.raises(SettingsError) as info:
        load_settings(tmp_path)
    assert f"quiz.toml: {key}: " in str(info.value)


def test_invalid_toml_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "quiz.toml").write_text("[stages\n", encoding="utf-8")
    with pytest.raises(SettingsError, match=r"quiz\.toml: not valid TOML"):
        load_settings(tmp_path)


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ("[stages]\npass_ratio = 0.5\n".encode("utf-16"), "not UTF-8 text"),
        (bytes(range(256)) * 4, "not UTF-8 text"),
        (b"\x00\x01\x02 = 3\n", "not valid TOML"),
    ],
    ids=["utf-16", "random-bytes", "nul-bytes"],
)
def test_a_binary_or_utf16_file_is_an_error_naming_the_file(
    tmp_path: Path, data: bytes, problem: str
) -> None:
    (tmp_path / "quiz.toml").write_bytes(data)
    with pytest.raises(SettingsError) as info:
        load_settings(tmp_path)
    message = str(info.value)
    assert message.startswith(f"{tmp_path / 'quiz.toml'}: {problem}")
    assert "\n" not in message


def test_offsets_up_to_ten_years_are_accepted(tmp_path: Path) -> None:
    (tmp_path / "quiz.toml").write_text("[stages]\noffsets = [1, 2, 3, 4, 3650]\n")
    assert load_settings(tmp_path).offsets == (1, 2, 3, 4, 3650)


def test_every_settings_error_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from quiz.cli import main

    (tmp_path / "quiz.toml").write_bytes("[stages]\n".encode("utf-16"))
    for argv in (
        ["due", str(tmp_path)],
        ["stats", str(tmp_path)],
        ["calendar", str(tmp_path), str(tmp_path / "r.ics")],
    ):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "quiz.toml: not UTF-8 text" in err


def test_settings_are_frozen() -> None:
    with pytest.raises(AttributeError):
        Settings().pass_ratio = 0.1  # type: ignore[misc]


def test_relearn_defaults_to_again_and_takes_hard_too(tmp_path: Path) -> None:
    assert load_settings(tmp_path).relearn == ("again",)
    (tmp_path / "quiz.toml").write_text('[session]\nrelearn = ["Hard", "again"]\n')
    assert load_settings(tmp_path).relearn == ("again", "hard")
    (tmp_path / "quiz.toml").write_text("[session]\nrelearn = []\n")
    assert load_settings(tmp_path).relearn == ()


def test_a_relearn_grade_that_would_never_end_says_which_and_how(tmp_path: Path) -> None:
    (tmp_path / "quiz.toml").write_text('[session]\nrelearn = ["again", "easy"]\n')
    with pytest.raises(SettingsError) as info:
        load_settings(tmp_path)
    assert str(info.value) == (
        f"{tmp_path / 'quiz.toml'}: session.relearn: 'easy' cannot come back; must be a list "
        'of "again" and "hard", e.g. ["again"] or ["again", "hard"] or []'
    )
