"""Notes drawn as Obsidian draws them, in the answer, the notes and the summary;
note text stays text; ``o`` opens an embedded file from the vault only."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

from rich.console import Console
from rich.segment import Segment

from quiz.tui.answer import AnswerView, LinkedMarkdown
from quiz.tui.app import QuizApp
from quiz.tui.dialogs import LinksScreen, TextScreen
from quiz.tui.obsidian import ObsidianMarkdown
from quiz.tui.quiz import QuizScreen
from quiz.tui.safe import markdown
from quiz.tui.summary import SummaryScreen

from .tui_snapshot_app import make_app, screen_text, synchronous, terminal_bytes

RENDER_VAULT = Path(__file__).parent / "fixtures" / "render_vault"
NOTE = "S3 내구성.md"

HOSTILE = (
    "> [!tip] [bold red]x[/] [@click=app.quit]q[/] \x1b[31mred\x1b]8;;https://evil\x07\n"
    "> [link=https://evil]body[/link] **굵게(bold)**는 ==\x1b[2Jmark==\n"
    "\n"
    "- [ ] [reverse]task[/reverse]\n"
    "\n"
    "![[\x1b]52;c;ZXZpbA==\x07img.png]]\n"
)


def segments(renderable: object, width: int = 60) -> list[Segment]:
    console = Console(width=width, file=io.StringIO(), force_terminal=True, color_system=None)
    return list(console.render(renderable, console.options))


def test_rendering_keeps_korean_bold_highlights_callouts_tasks_embeds() -> None:
    document = LinkedMarkdown(
        markdown(
            "**용어(영어)**는 ==형광펜==.\n\n> [!warning] 주의\n> 본문\n\n"
            "- [x] 끝\n- [ ] 할 일\n\n![[그림.png]]\n"
        )
    )
    drawn = segments(document)
    text = "".join(s.text for s in drawn)
    assert "**" not in text and "==" not in text and "[!" not in text
    bold = "".join(s.text for s in drawn if s.style and s.style.bold)
    assert "용어(영어)" in bold
    highlight = "".join(s.text for s in drawn if s.style and s.style.bgcolor)
    assert highlight == "형광펜"
    assert "╭─ ⚠ 주의 ─" in text and "│ 본문" in text
    assert "• ☑ 끝" in text and "• ☐ 할 일" in text
    assert "🖼 그림.png" in text
    # The embed is a link the app follows, not a hyperlink to the terminal.
    assert document.links == ["embed:%EA%B7%B8%EB%A6%BC.png"]
    assert any(
        s.style and s.style.meta.get("@click") == ("follow_link", (0,)) for s in drawn if s.text
    )


def test_note_text_never_becomes_markup_or_escapes() -> None:
    for renderable in (LinkedMarkdown(markdown(HOSTILE)), ObsidianMarkdown(markdown(HOSTILE))):
        drawn = segments(renderable, width=100)
        text = "".join(s.text for s in drawn)
        assert "[bold red]x[/] [@click=app.quit]q[/]" in text
        assert "[link=https://evil]body[/link]" in text
        assert "[reverse]task[/reverse]" in text
        assert "\x1b" not in text and "\x07" not in text
        for segment in drawn:
            style = segment.style
            if style is None:
                continue
            assert not style.link and not style.reverse
            clicks = style.meta.get("@click") if style.meta else None
            assert clicks is None or clicks[0] == "follow_link"


@synchronous
async def test_answer_notes_and_summary_are_drawn_alike(tmp_path: Path) -> None:
    app = make_app(tmp_path, source=RENDER_VAULT)
    async with app.run_test(size=(120, 40)) as pilot:
        app.start_notes([NOTE])
        await pilot.pause()
        await pilot.press("space")
        shown = screen_text(app)
        assert "99.999999999%(11 9's)로 설계되어" in shown
        assert "╭─ ✦ 외우는 법 ─" in shown and "▪ [bold red]x[/] 제목" in shown
        assert "• ☑ 내구성과 가용성 구분하기" in shown and "• ☐ 스토리지" in shown
        assert "🖼 s3-durability.png" in shown and "$1 - 10^{-11}$" in shown
        assert "\x1b]8" not in terminal_bytes(app)

        await pilot.press("c")  # the notes section: this note has none
        assert isinstance(app.screen, TextScreen)
        await pilot.press("escape")

        await pilot.press("3")
        assert isinstance(app.screen, SummaryScreen)
        shown = screen_text(app)
        assert "용어(영어)는 굵게 보인다." in shown and "**" not in shown


@synchronous
async def test_notes_dialog_draws_callouts_and_opens_embeds(tmp_path: Path) -> None:
    source = tmp_path / "source"
    shutil.copytree(RENDER_VAULT, source)
    note = source / NOTE
    text = note.read_text(encoding="utf-8")
    note.write_text(
        text + "\n### Notes\n\n> [!note] 메모\n> ==중요== ![[s3-durability.png]]\n",
        encoding="utf-8",
    )
    app = make_app(tmp_path / "run", source=source)
    opened: list[Path] = []
    app.open_file = opened.append  # type: ignore[method-assign]
    async with app.run_test(size=(100, 30)) as pilot:
        app.start_notes([NOTE])
        await pilot.pause()
        await pilot.press("c")
        assert isinstance(app.screen, TextScreen)
        assert "╭─ ✎ 메모 ─" in screen_text(app) and "==" not in screen_text(app)
        await pilot.press("o")
        png = (app.study.vault / "attachments" / "s3-durability.png").resolve()
        assert opened == [png]


@synchronous
async def test_o_opens_the_embedded_image_of_the_shown_answer(tmp_path: Path) -> None:
    app = make_app(tmp_path, source=RENDER_VAULT)
    opened: list[Path] = []
    app.open_file = opened.append  # type: ignore[method-assign]
    async with app.run_test(size=(100, 30)) as pilot:
        app.start_notes([NOTE])
        await pilot.pause()
        await pilot.press("o")  # the answer is hidden: nothing to open
        assert opened == []
        await pilot.press("space", "o")
        png = (app.study.vault / "attachments" / "s3-durability.png").resolve()
        assert opened == [png]
        assert isinstance(app.screen, QuizScreen)


def vault_with_embeds(tmp_path: Path, embeds: str) -> Path:
    source = tmp_path / "source"
    (source / "pics").mkdir(parents=True)
    (source / "pics" / "a.png").write_bytes(b"\x89PNG")
    (source / "pics" / "b.png").write_bytes(b"\x89PNG")
    (tmp_path / "secret.png").write_bytes(b"secret")
    (source / "n.md").write_text(f"### Cues\n\n- q\n\n    answer {embeds}\n", encoding="utf-8")
    return source


@synchronous
async def test_embeds_outside_the_vault_are_refused(tmp_path: Path) -> None:
    app = make_app(tmp_path / "run", source=vault_with_embeds(tmp_path, "![[../../secret.png]]"))
    opened: list[Path] = []
    app.open_file = opened.append  # type: ignore[method-assign]
    async with app.run_test(size=(100, 30)) as pilot:
        app.start_notes(["n.md"])
        await pilot.pause()
        await pilot.press("space", "o")
        await pilot.pause()
        assert opened == []
        assert any("No file ../../secret.png" in str(n.message) for n in app._notifications)
        app.follow_link("embed:%2Fetc%2Fpasswd")
        assert app.pending_file is None
        await pilot.press("o")
        assert opened == []


@synchronous
async def test_several_embeds_are_listed_and_a_click_offers_one(tmp_path: Path) -> None:
    app = make_app(tmp_path / "run", source=vault_with_embeds(tmp_path, "![[a.png]] ![[b.png]]"))
    opened: list[Path] = []
    app.open_file = opened.append  # type: ignore[method-assign]
    async with app.run_test(size=(100, 30)) as pilot:
        app.start_notes(["n.md"])
        await pilot.pause()
        await pilot.press("space", "o")
        assert isinstance(app.screen, LinksScreen)
        await pilot.press("down", "enter")
        pics = (app.study.vault / "pics").resolve()
        assert opened == [pics / "b.png"]
        assert isinstance(app.screen, QuizScreen)
        # A click (here: following the link) offers the file; `o` opens it.
        app.follow_link(app.screen.query_one("#answer", AnswerView).embeds()[0])
        assert app.pending_file == pics / "a.png" and opened == [pics / "b.png"]
        await pilot.press("o")
        assert opened == [pics / "b.png", pics / "a.png"]
        assert isinstance(app, QuizApp) and app.pending_file is None


def test_obsidian_markdown_sets_what_rich_markdown_sets() -> None:
    # ObsidianMarkdown skips Rich's __init__ (it would build a parser per
    # document); a new attribute there must be set here too.
    from rich.markdown import Markdown as RichMarkdown

    assert set(vars(RichMarkdown("x"))) <= set(vars(ObsidianMarkdown("x")))


def test_questions_use_the_same_rules() -> None:
    from quiz.tui.inline import inline_text

    text = inline_text("**용어(영어)**는 ==무엇==? [bold]x[/bold] ![[a.png]]")
    assert text.plain == "용어(영어)는 무엇? [bold]x[/bold] 🖼 a.png"
    styled = {text.plain[span.start : span.end]: str(span.style) for span in text.spans}
    assert styled["용어(영어)"] == "bold"
    assert styled["무엇"] == "black on yellow"
    assert styled["🖼 a.png"] == "underline"
