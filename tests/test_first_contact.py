"""First contact and exit codes: what a learner meets before any session.

``quiz`` with no arguments, a typo in ``--note`` in the app, the app's exit code
after a crash, the palette's screenshot, the remembered theme and the editor
fallback of ``e``.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest
from textual.app import App

from quiz.cli import main
from quiz.config import Settings, load_settings, user_settings_path
from quiz.notes.model import Card
from quiz.schedule.stages import Grade
from quiz.study import Study
from quiz.tui import quiz as quiz_screen
from quiz.tui.app import QuizApp
from quiz.tui.prefs import prefs_path
from quiz.tui.quiz import QuizScreen
from quiz.tui.today import TodayScreen

from .tui_snapshot_app import TODAY, copy_vault, fixed_clock, indexed_db, synchronous

SIZE = (80, 24)
IAM = "AWS/IAM 정책.md"
CARD = Card("none", IAM, 0, "", "", 0)


def app_on(tmp_path: Path, *, note: str | None = None) -> QuizApp:
    vault = copy_vault(tmp_path)
    db = indexed_db(tmp_path, vault)
    return QuizApp(Study(db, vault, Settings(), TODAY, clock=fixed_clock), note=note)


@synchronous
async def test_a_note_that_cannot_start_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    app = app_on(tmp_path, note="AWS/IAM정책.md")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        messages = [str(n.message) for n in app._notifications]
        assert any("did you mean 'AWS/IAM 정책.md'?" in m for m in messages), messages
    assert app.return_code in (None, 0)


def test_the_app_never_exits_0_after_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = copy_vault(tmp_path)

    def crash(self: TodayScreen) -> None:
        raise RuntimeError("boom")

    def headless(self: QuizApp) -> object:
        return App.run(self, headless=True, size=SIZE)

    monkeypatch.setattr(TodayScreen, "on_mount", crash)
    monkeypatch.setattr(QuizApp, "run", headless)
    code = main(["study", str(vault), "--db", str(tmp_path / "db.sqlite3")])
    assert code == 1


# -- `quiz` with no arguments, and the default vault -------------------------------


def user_settings(text: str) -> None:
    path = user_settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_quiz_alone_without_a_default_vault_prints_the_quick_start(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main([])
    out, err = capsys.readouterr()
    assert code == 0 and err == ""
    assert "Quick start:" in out and "quiz study VAULT" in out
    assert str(user_settings_path()) in out


def test_quiz_alone_opens_the_default_vault(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    vault = copy_vault(tmp_path)
    user_settings(f'[vault]\ndefault = "{vault.as_posix()}"\n')
    opened: list[Path] = []

    def record(self: QuizApp) -> None:
        opened.append(self.study.vault)

    monkeypatch.setattr(QuizApp, "run", record)
    assert main([]) == 0
    assert opened == [vault]


def test_a_default_vault_that_does_not_exist_is_a_usage_error_and_no_index(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from quiz.store import default_db_path

    missing = tmp_path / "gone"
    user_settings(f'[vault]\ndefault = "{missing.as_posix()}"\n')
    for argv in ([], ["study"]):
        code = main(argv)
        err = capsys.readouterr().err
        assert code == 2
        assert err == f"quiz: {user_settings_path()}: vault.default: {missing}: not a folder\n"
    assert not default_db_path(missing).exists()


def test_a_bad_date_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["due", str(tmp_path), "--today", "2026-02-30"])
    assert info.value.code == 2
    assert "2026-02-30: not a date (use YYYY-MM-DD)" in capsys.readouterr().err


# -- the theme is remembered ---------------------------------------------------


@synchronous
async def test_the_theme_is_remembered_for_the_next_run(tmp_path: Path) -> None:
    first = app_on(tmp_path / "one")
    async with first.run_test(size=SIZE) as pilot:
        start = first.theme
        await pilot.press("ctrl+t")
        await pilot.pause()
        chosen = first.theme
    assert chosen != start
    assert json.loads(prefs_path().read_text(encoding="utf-8")) == {"theme": chosen}
    second = app_on(tmp_path / "two")
    async with second.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert second.theme == chosen


@synchronous
async def test_a_damaged_or_unknown_theme_preference_is_ignored(tmp_path: Path) -> None:
    prefs_path().parent.mkdir(parents=True, exist_ok=True)
    for text in ('{"theme": "no-such-theme"}', "\x00\xff not json", "[1, 2]"):
        prefs_path().write_text(text, encoding="utf-8", errors="surrogateescape")
        app = app_on(tmp_path / str(len(text)))
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert app.theme == "textual-dark"


# -- the palette's screenshot --------------------------------------------------


@synchronous
async def test_the_palette_screenshot_goes_to_the_current_folder_and_says_where(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"  # no Downloads folder in it
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    app = app_on(tmp_path / "app")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*"screenshot")
        await pilot.pause(0.2)
        await pilot.press("enter")
        await pilot.pause(0.5)
        shots = list(here.glob("*.svg"))
        assert len(shots) == 1 and shots[0].read_text(encoding="utf-8").startswith("<svg")
        messages = [str(n.message) for n in app._notifications]
        assert messages == [f"Saved {shots[0]}"]
    assert not (home / "Downloads").exists()


@synchronous
async def test_a_screenshot_folder_can_be_configured_and_a_missing_one_is_a_message(
    tmp_path: Path,
) -> None:
    vault = copy_vault(tmp_path)
    db = indexed_db(tmp_path, vault)
    shots = tmp_path / "shots"
    shots.mkdir()
    for folder in (shots, tmp_path / "missing"):
        settings = Settings(screenshots=folder)
        app = QuizApp(Study(db, vault, settings, TODAY, clock=fixed_clock))
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            saved = app.deliver_screenshot()
            await pilot.pause()
            messages = [str(n.message) for n in app._notifications]
        if folder == shots:
            assert saved is not None and Path(saved).parent == shots
            assert messages == [f"Saved {saved}"]
        else:
            assert saved is None
            assert messages == [f"Not saved in {folder}: No such file or directory"]


def test_the_screenshot_folder_setting_is_read(tmp_path: Path) -> None:
    (tmp_path / "quiz.toml").write_text('[app]\nscreenshots = "~/shots"\n', encoding="utf-8")
    assert load_settings(tmp_path).screenshots == Path("~/shots").expanduser()


# -- `e` without $EDITOR ---------------------------------------------------------


def fake_editor(monkeypatch: pytest.MonkeyPatch, found: dict[str, str]) -> list[list[str]]:
    """No $VISUAL/$EDITOR; ``found`` is what ``which`` finds; the "editor" edits the answer."""
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.setattr(quiz_screen.shutil, "which", found.get)
    commands: list[list[str]] = []

    def run(command: list[str], **_: object) -> None:
        commands.append(command)
        note = Path(command[-1])
        text = note.read_text(encoding="utf-8")
        note.write_text(
            text.replace("명시적 Deny가 항상 이긴다", "명시적 Deny가 늘 이긴다"), "utf-8"
        )

    monkeypatch.setattr(quiz_screen.subprocess, "run", run)
    return commands


@synchronous
async def test_e_without_editor_falls_back_and_the_answer_stays_revealed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    commands = fake_editor(monkeypatch, {"nano": "/usr/bin/nano", "vi": "/usr/bin/vi"})
    app = app_on(tmp_path, note=IAM)
    async with app.run_test(size=SIZE) as pilot:
        app.suspend = contextlib.nullcontext  # type: ignore[method-assign,assignment]
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, QuizScreen)
        while "명시적 Deny" not in (screen.session.current or CARD).answer:
            screen.session.grade(Grade.GOOD)
        screen.show_card()
        card = screen.session.current
        assert card is not None
        await pilot.press("space", "e")
        await pilot.pause()
        assert commands == [["/usr/bin/nano", f"+{card.line}", str(app.study.vault / IAM)]]
        assert screen.revealed and screen.query_one("#answer").display
        now = screen.session.current
        assert now is not None and "늘 이긴다" in now.answer


@synchronous
async def test_e_with_no_editor_at_all_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    commands = fake_editor(monkeypatch, {})
    app = app_on(tmp_path, note=IAM)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        messages = [str(n.message) for n in app._notifications]
    assert commands == []
    assert "No editor found: set $EDITOR (or install nano or vi)." in messages
