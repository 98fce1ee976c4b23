"""Links in a note: other notes open in the app; web links only on `o`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.cells import cell_len
from textual.pilot import Pilot

from quiz.tui.answer import AnswerView
from quiz.tui.app import QuizApp
from quiz.tui.dialogs import LinksScreen, TextScreen
from quiz.tui.quiz import QuizScreen
from quiz.tui.safe import markdown

from .tui_snapshot_app import make_app, screen_lines, synchronous, terminal_bytes

NOTE = """---
subject: Links
first_studied: 2026-11-20
---
### Cues

- Where is it explained?

    In [[Other note|the other note]], [the web](https://example.com/x), [here](Other%20note.md).
"""
OTHER = "### Cues\n\n- q\n\n    the other note's answer\n"


def vault(tmp_path: Path) -> Path:
    source = tmp_path / "source"
    (source / "deep").mkdir(parents=True)
    (source / "links.md").write_text(NOTE, encoding="utf-8")
    (source / "Other note.md").write_text(OTHER, encoding="utf-8")
    return source


def test_wikilinks_become_app_links_outside_code_only() -> None:
    text = "[[A|alias]] `[[x]]` ![[img.png]]\n```\n[[y]]\n```\n[[B#part]]"
    assert markdown(text) == (
        "[alias](wikilink:A) `[[x]]` ![[img.png]]\n```\n[[y]]\n```\n[B](wikilink:B)"
    )


async def click_text(pilot: Pilot[Any], app: QuizApp, needle: str, skip: int = 0) -> None:
    """Click where ``needle`` (after its first ``skip`` characters) is drawn."""
    for y, line in enumerate(screen_lines(app)):
        x = line.find(needle)
        if x >= 0:
            await pilot.click(offset=(cell_len(line[: x + skip]), y))
            await pilot.pause()
            return
    raise AssertionError(f"{needle!r} is not on screen")


@synchronous
async def test_links_open_notes_in_the_app_and_the_web_only_on_a_key(tmp_path: Path) -> None:
    app = make_app(tmp_path / "run", source=vault(tmp_path), write=False)
    opened: list[str] = []
    app.open_url = lambda url, **_: opened.append(url)  # type: ignore[method-assign]
    async with app.run_test(size=(100, 30)) as pilot:
        app.start_notes(["links.md"])
        await pilot.pause()
        assert isinstance(app.screen, QuizScreen)
        await pilot.press("space")
        answer = app.screen.query_one("#answer", AnswerView)
        assert "wikilink:Other%20note" in answer.source
        # Links are drawn as text that clicks; no URL goes out as OSC 8.
        assert "In the other note, the web, here." in "\n".join(screen_lines(app))
        assert "\x1b]8" not in terminal_bytes(app)

        await click_text(pilot, app, "the web")
        assert opened == [] and app.pending_url == "https://example.com/x"
        await pilot.press("o")
        assert opened == ["https://example.com/x"]

        await click_text(pilot, app, "In the other note", skip=3)
        assert isinstance(app.screen, TextScreen)
        assert "the other note's answer" in app.screen.text
        await pilot.press("escape")

        await click_text(pilot, app, ", here.", skip=2)
        assert isinstance(app.screen, TextScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, QuizScreen)

        await click_text(pilot, app, "In the other", skip=0)  # plain text: nothing
        assert isinstance(app.screen, QuizScreen)


@synchronous
async def test_link_targets_outside_the_vault_are_refused(tmp_path: Path) -> None:
    app = make_app(tmp_path / "run", source=vault(tmp_path), write=False)
    async with app.run_test(size=(100, 30)) as pilot:
        app.start_notes(["links.md"])
        await pilot.pause()
        app.follow_link("../../etc/passwd")
        await pilot.pause()
        assert isinstance(app.screen, QuizScreen)
        (app.study.vault / "diagram.png").write_bytes(b"\x89PNG\r\n\x1a\n")
        app.follow_link("diagram.png")  # an image in the vault is not a note
        await pilot.pause()
        assert isinstance(app.screen, QuizScreen)
        app.follow_link("javascript:alert(1)")
        await pilot.pause()
        assert isinstance(app.screen, QuizScreen) and app.pending_url is None


@synchronous
async def test_links_can_be_followed_from_the_keyboard(tmp_path: Path) -> None:
    app = make_app(tmp_path / "run", source=vault(tmp_path), write=False)
    async with app.run_test(size=(100, 30)) as pilot:
        app.start_notes(["links.md"])
        await pilot.pause()
        await pilot.press("l")  # nothing shown yet: no links to offer
        assert isinstance(app.screen, QuizScreen)
        await pilot.press("space", "l")
        assert isinstance(app.screen, LinksScreen)
        assert "Other note" in "\n".join(screen_lines(app))
        assert app.screen.links == [
            "wikilink:Other%20note",
            "https://example.com/x",
            "Other%20note.md",
        ]
        await pilot.press("down", "enter")  # the web link: offered, not opened
        assert isinstance(app.screen, QuizScreen)
        assert app.pending_url == "https://example.com/x"
        await pilot.press("l", "enter")  # the wikilink: the other note, in the app
        assert isinstance(app.screen, TextScreen)
        assert "the other note's answer" in app.screen.text
        await pilot.press("escape", "l", "escape")
        assert isinstance(app.screen, QuizScreen)
