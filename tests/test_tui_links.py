"""Links in a note: other notes open in the app; web links only on `o`."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Markdown

from quiz.tui.dialogs import TextScreen
from quiz.tui.quiz import QuizScreen
from quiz.tui.safe import markdown

from .tui_snapshot_app import make_app, synchronous

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
        answer = app.screen.query_one("#answer", Markdown)
        assert "wikilink:Other%20note" in answer.source

        answer.post_message(Markdown.LinkClicked(answer, "https://example.com/x"))
        await pilot.pause()
        assert opened == [] and app.pending_url == "https://example.com/x"
        await pilot.press("o")
        assert opened == ["https://example.com/x"]

        answer.post_message(Markdown.LinkClicked(answer, "wikilink:Other%20note"))
        await pilot.pause()
        assert isinstance(app.screen, TextScreen)
        assert "the other note's answer" in app.screen.text
        await pilot.press("escape")

        answer.post_message(Markdown.LinkClicked(answer, "Other%20note.md"))
        await pilot.pause()
        assert isinstance(app.screen, TextScreen)
        await pilot.press("escape")

        answer.post_message(Markdown.LinkClicked(answer, "../../etc/passwd"))
        await pilot.pause()
        assert isinstance(app.screen, QuizScreen)  # outside the vault: refused
