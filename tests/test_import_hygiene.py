"""The core never loads Textual, and the quick commands stay light to start."""

from __future__ import annotations

import subprocess
import sys

CORE = [
    "quiz.notes.reader",
    "quiz.schedule.stages",
    "quiz.schedule.memory",
    "quiz.store.index",
    "quiz.store.queries",
    "quiz.session",
    "quiz.writeback",
    "quiz.plain",
    "quiz.export.calendar",
    "quiz.cli",
]


def loaded_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys\nprint('\\n'.join(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return set(out.split())


def test_core_modules_do_not_import_textual() -> None:
    modules = loaded_after("\n".join(f"import {m}" for m in CORE))
    assert "quiz.session" in modules
    assert not {m for m in modules if m == "textual" or m.startswith(("textual.", "quiz.tui"))}


def test_scan_and_due_do_not_load_the_ui_or_the_memory_model() -> None:
    modules = loaded_after("import quiz.cli, quiz.store.index, quiz.store.queries")
    assert "quiz.store.index" in modules
    assert "textual" not in modules
    assert "fsrs" not in modules and "kiwipiepy" not in modules
