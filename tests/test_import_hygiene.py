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
    "quiz.study",
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


#: What sqlite-utils pulls in: 0.10-0.15 s that the first screen does without.
WRITER_ONLY = {"sqlite_utils", "click", "dateutil", "pluggy"}


def test_the_first_screen_of_quiz_study_loads_no_sqlite_utils() -> None:
    # What `quiz study` imports before Today is painted (see cli/study.py):
    # the index is read through a plain connection; the worker opens the store.
    modules = loaded_after(
        "import quiz.cli, quiz.cli.study, quiz.cli.common, quiz.study, quiz.store.schema\n"
        "import quiz.tui.app, quiz.tui.today"
    )
    assert "quiz.tui.today" in modules and "quiz.store.queries" in modules
    assert not {m.split(".")[0] for m in modules} & WRITER_ONLY
    # Nor what the scan (in the worker) and a session's write-back need, nor
    # the session's own modules (they come with the first session).
    assert not {"yaml", "quiz.store.index", "quiz.writeback"} & modules
    assert not {"quiz.session", "quiz.grading", "quiz.queue", "quiz.notes.links"} & modules


def test_opening_the_store_loads_sqlite_utils_but_not_numpy() -> None:
    # numpy comes with the Korean extra; sqlite-utils would load it for nothing.
    modules = loaded_after(
        "from quiz.store import open_db\nopen_db(None).close()\nimport quiz.store.index"
    )
    assert "sqlite_utils" in modules
    assert "numpy" not in modules and "pandas" not in modules
