"""README's key table says every key the app binds, on the screen that binds it.

The table (under "Studying") has one row per screen; each entry of a row
starts with its key(s) in backticks (`` `Esc`/`q` back ``, `` `1`–`4` grade ``),
entries are separated by `` · ``. The app's keys are read from each screen's
``BINDINGS``; a key added to a screen without its README entry fails here, and
so does an entry for a key no screen binds any more.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

import quiz.tui
from quiz.tui.app import QuizApp

README = Path(__file__).resolve().parents[1] / "README.md"

#: README's row name → the screen (or the app, for keys that work everywhere)
#: whose bindings it lists, by class name. A screen may have several rows
#: (the quiz's two states).
ROWS: dict[str, str] = {
    "Today": "TodayScreen",
    "Quiz, question": "QuizScreen",
    "Quiz, answer shown": "QuizScreen",
    "Summary": "SummaryScreen",
    "Mastery": "MasteryScreen",
    "a subject's notes": "SubjectScreen",
    "notes dialog (`c`)": "TextScreen",
    "links dialog (`l`)": "LinksScreen",
    "resume dialog (a note left unfinished today)": "ResumeScreen",
    "help (`?`)": "HelpScreen",
    "everywhere": "QuizApp",
}

#: Keys a row may name that a widget, not a binding, handles.
WIDGET_KEYS: dict[str, set[str]] = {
    "links dialog (`l`)": {"enter"},  # the option list's Enter follows a link
}

#: How the README spells a key that Textual names otherwise.
KEY_NAMES = {"?": "question_mark", "/": "slash", "esc": "escape"}


def key_name(shown: str) -> str:
    """Textual's name of a key as the README shows it: `Esc` → ``escape``."""
    if len(shown) == 1:
        return KEY_NAMES.get(shown, shown)
    lowered = shown.lower()
    return KEY_NAMES.get(lowered, lowered)


def entry_keys(cell: Token) -> set[str]:
    """The keys that start the entries of one table cell (its inline token)."""
    keys: set[str] = set()
    leading = True  # at the start of an entry
    previous: str | None = None
    dash = False
    for child in cell.children or []:
        if child.type == "code_inline" and leading:
            key = key_name(child.content)
            if dash and previous is not None and previous.isdigit() and key.isdigit():
                keys.update(str(n) for n in range(int(previous), int(key) + 1))
            keys.add(key)
            previous, dash = key, False
        elif child.type == "text" and leading and child.content in ("/", "–"):
            dash = child.content == "–"
        else:
            leading = False
            if child.type == "text" and child.content.rstrip().endswith("·"):
                leading, previous, dash = True, None, False
    return keys


def key_table(markdown: str) -> dict[str, set[str]]:
    """The table whose header is ``screen | keys``: row name → the keys it names."""
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    rows: dict[str, set[str]] = {}
    ours = found = False
    cells: list[Token] = []
    for i, token in enumerate(tokens):
        if token.type == "table_open":
            header = [t.content for t in tokens[i : i + 8] if t.type == "inline"]
            ours = header[:2] == ["screen", "keys"]
            found = found or ours
        elif not ours:
            continue
        elif token.type == "table_close":
            ours = False
        elif token.type == "tr_open":
            cells = []
        elif token.type == "inline":
            cells.append(token)
        elif token.type == "tr_close" and cells[0].content != "screen":
            rows[cells[0].content] = entry_keys(cells[1])
    assert found, "README has no table headed `| screen | keys |`"
    return rows


def own_keys(cls: type[Screen[object]] | type[App[int]]) -> set[str]:
    """The keys a screen binds itself; for the app, also Textual's app keys."""
    bindings = list(Binding.make_bindings(cls.__dict__.get("BINDINGS", [])))
    if issubclass(cls, App):
        bindings += [b for b in Binding.make_bindings(App.BINDINGS) if b.description]
        bindings.append(Binding(cls.COMMAND_PALETTE_BINDING, "command_palette", "Palette"))
    return {b.key for b in bindings}


def screens_with_keys() -> dict[str, type]:
    """Every screen and app class in ``quiz.tui`` that declares its own BINDINGS, by name."""
    found: dict[str, type] = {}
    for module in pkgutil.iter_modules(quiz.tui.__path__, "quiz.tui."):
        for _, cls in inspect.getmembers(importlib.import_module(module.name), inspect.isclass):
            if (
                cls.__module__ == module.name
                and issubclass(cls, (Screen, App))
                and "BINDINGS" in cls.__dict__
            ):
                found[cls.__name__] = cls
    return found


TABLE = key_table(README.read_text(encoding="utf-8"))
SCREENS = screens_with_keys()


def test_every_screen_with_keys_has_a_row() -> None:
    missing = set(SCREENS) - set(ROWS.values())
    assert not missing, f"add a row for {sorted(missing)} to README's key table and to ROWS here"
    gone = set(ROWS.values()) - set(SCREENS)
    assert not gone, f"ROWS names screens the app no longer has: {sorted(gone)}"


def test_the_table_has_exactly_the_known_rows() -> None:
    assert sorted(TABLE) == sorted(ROWS)


@pytest.mark.parametrize("name", sorted(set(ROWS.values())))
def test_every_key_a_screen_binds_is_in_its_rows(name: str) -> None:
    shown = set().union(*(TABLE.get(row, set()) for row, c in ROWS.items() if c == name))
    missing = own_keys(SCREENS[name]) - shown
    assert not missing, f"README's key table lacks {sorted(missing)} for {name}"


@pytest.mark.parametrize("row", list(ROWS))
def test_every_key_in_a_row_is_bound(row: str) -> None:
    # App keys work on every screen, so a screen's row may mention them.
    bound = own_keys(SCREENS[ROWS[row]]) | own_keys(QuizApp) | WIDGET_KEYS.get(row, set())
    stale = TABLE.get(row, set()) - bound
    assert not stale, f"README's key table row {row!r} names keys nothing binds: {sorted(stale)}"


def test_entry_keys_are_the_leading_backticks_of_each_entry() -> None:
    sample = (
        "| screen | keys |\n|---|---|\n"
        "| S | `Esc`/`q` back · `1`–`3` grade (`x` is not a key here) · `?` help · "
        "`Ctrl+T` theme · `Space` reveal |\n"
    )
    assert key_table(sample) == {
        "S": {"escape", "q", "1", "2", "3", "question_mark", "ctrl+t", "space"}
    }
