"""Shared fixtures: paths to the fixture notes, the seed notes and the sample vault."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlite_utils import Database

from quiz.config import Settings
from quiz.store import open_db
from tests.pristine import sample_notes

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
#: The learner's template note and the same note as a real export mangled it
#: (copied byte for byte; .gitattributes keeps git from touching them).
SEED_NOTES = FIXTURES / "seed"
SAMPLE_NOTES = sample_notes()


@pytest.fixture(autouse=True, scope="session")
def _sample_notes_without_a_log() -> None:
    """Tests read and copy ``sample_notes``: a review log left there would add reviews."""
    left = SAMPLE_NOTES / ".quiz"
    if left.exists():
        pytest.fail(
            f"{left}: a review log left by running quiz on the sample notes; "
            "remove it (git clean -fdX sample_notes)"
        )


@pytest.fixture
def settings() -> Settings:
    return Settings()


@pytest.fixture
def seed_notes() -> Path:
    return SEED_NOTES


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    """A copy of ``sample_notes`` (today is 2026-11-25 in its stage states)."""
    target = tmp_path / "vault"
    # Not the review log a README example run may have left in sample_notes.
    shutil.copytree(SAMPLE_NOTES, target, ignore=shutil.ignore_patterns(".quiz"))
    return target


#: ``new_db()``: a new in-memory index, or one at a path: ``new_db(path)``.
NewDb = Callable[..., Database]


@pytest.fixture
def new_db() -> Iterator[NewDb]:
    """Open indexes that are closed when the test ends.

    Python 3.13 warns about every connection left to the garbage collector,
    and the warning surfaces (as an error) in whichever test happens to run
    when the collector does.
    """
    opened: list[Database] = []

    def make(path: Path | None = None) -> Database:
        db = open_db(path)
        opened.append(db)
        return db

    yield make
    for db in opened:
        db.close()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where a test's database file goes."""
    return tmp_path / "db.sqlite3"


@pytest.fixture(autouse=True)
def _close_app_indexes() -> Iterator[None]:
    """Close the indexes the test apps opened (``tui_snapshot_app.indexed_db``)."""
    yield
    helper = sys.modules.get(f"{__package__}.tui_snapshot_app")
    if helper is not None:  # only loaded by the app tests: no Textual import otherwise
        helper.close_opened()


@pytest.fixture(autouse=True)
def _isolated_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Never touch the developer's real config or data directories."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))  # the device id
