"""Obsidian's additions to Markdown, as tokens (``quiz.render.obsidian``)."""

from __future__ import annotations

from pathlib import Path

from markdown_it.token import Token

from quiz.render.embeds import resolve_embed
from quiz.render.obsidian import parse, parser


def inline_types(text: str) -> list[str]:
    tokens = parse(text)
    return [child.type for child in tokens[1].children or ()]


def test_highlight() -> None:
    assert parser().renderInline("a ==b== c") == "a <mark>b</mark> c"
    assert parser().renderInline("==(중요)==는") == "<mark>(중요)</mark>는"
    assert parser().renderInline("a == b == c") == "a == b == c"
    assert parser().renderInline("`==b==`") == "<code>==b==</code>"
    assert parser().renderInline("~~(취소)~~는") == "<s>(취소)</s>는"


def test_callout_with_title_and_body() -> None:
    tokens = parse("> [!tip]- Remember *this*\n> body **b**\n")
    opening = tokens[0]
    assert opening.type == "callout_open"
    assert opening.meta == {"kind": "tip", "title": "Remember *this*"}
    assert tokens[2].content == "body **b**"
    assert [t.type for t in tokens][-1] == "callout_close"
    assert "blockquote_open" not in [t.type for t in tokens]


def test_callout_without_title_is_named_by_its_type() -> None:
    tokens = parse("> [!WARNING]\n> careful\n\n> plain quote\n")
    types = [t.type for t in tokens]
    assert tokens[0].meta == {"kind": "warning", "title": "Warning"}
    assert types.count("callout_open") == 1 and types.count("blockquote_open") == 1
    assert [t.content for t in tokens if t.type == "inline"] == ["careful", "plain quote"]


def test_callout_holding_only_its_title() -> None:
    tokens = parse("> [!note] Just a title\n")
    assert [t.type for t in tokens] == ["callout_open", "callout_close"]


def test_task_boxes() -> None:
    tokens = parse("- [ ] 할 일\n- [x] 끝\n- [X] done\n- [y] not a task\n- [ ]x neither\n")
    assert [t.content for t in tokens if t.type == "inline"] == [
        "☐ 할 일",
        "☑ 끝",
        "☑ done",
        "[y] not a task",
        "[ ]x neither",
    ]
    # Outside a list, brackets are text.
    assert parse("[ ] no list\n")[1].content == "[ ] no list"


def test_embeds() -> None:
    children = parse("see ![[diagram.png|300]] and ![[folder/file.pdf]] ![[Other note#Part]]")[
        1
    ].children
    assert children is not None
    embeds = [c for c in children if c.type == "embed"]
    assert [(e.attrs["src"], e.attrs["href"], e.content) for e in embeds] == [
        ("diagram.png", "embed:diagram.png", "🖼 diagram.png"),
        ("folder/file.pdf", "embed:folder/file.pdf", "📎 folder/file.pdf"),
        ("Other note", "wikilink:Other%20note", "↪ Other note"),
    ]
    assert inline_types("`![[x.png]]`") == ["code_inline"]
    assert inline_types("![[]] ![[x.png") == ["text"]


def test_math_is_left_as_written() -> None:
    tokens = parse("$a*b*c$ costs $5 and $6\n\n$$\nx_1 *y* z_2\n$$\n")
    assert tokens[1].children is not None
    assert [(c.type, c.content) for c in tokens[1].children] == [
        ("text", "$a*b*c$ costs $5 and $6")
    ]
    block = next(t for t in tokens if t.type == "fence")
    assert block.content == "$$\nx_1 *y* z_2\n$$\n"


def test_markup_in_note_text_stays_text() -> None:
    tokens: list[Token] = parse("> [!tip] [bold red]x[/] [@click=app.quit]q[/]\n> body\n")
    assert tokens[0].meta["title"] == "[bold red]x[/] [@click=app.quit]q[/]"


def test_embed_paths_stay_inside_the_vault(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    (vault / "notes" / "att").mkdir(parents=True)
    image = vault / "notes" / "att" / "diagram.png"
    image.write_bytes(b"\x89PNG")
    (tmp_path / "secret.png").write_bytes(b"x")
    (vault / "link.png").symlink_to(tmp_path / "secret.png")
    note = vault / "notes" / "n.md"
    assert resolve_embed(vault, "diagram.png") == image.resolve()  # found by name
    assert resolve_embed(vault, "notes/att/diagram.png") == image.resolve()
    assert resolve_embed(vault, "att/diagram.png", note) == image.resolve()
    assert resolve_embed(vault, "../secret.png") is None
    assert resolve_embed(vault, str(tmp_path / "secret.png")) is None
    assert resolve_embed(vault, "link.png") is None  # a link out of the vault
    assert resolve_embed(vault, "missing.png") is None
    assert resolve_embed(vault, "notes") is None  # a folder is not a file
