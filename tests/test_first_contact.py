"""First contact and exit codes: what a learner meets before any session.

``quiz`` with no arguments, a typo in ``--note`` in the app, the app's exit code
after a crash, the palette's screenshot, the remembered theme and the editor
fallback of ``e``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App

from quiz.cli import main
from quiz.config import Settings, user_settings_path
from quiz.session import Study
from quiz.tui.app import QuizApp
from quiz.tui.today import TodayScreen

from .tui_snapshot_app import TODAY, copy_vault, fixed_clock, indexed_db, synchronous

SIZE = (80, 24)


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
