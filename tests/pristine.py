"""``sample_notes/`` as committed, whatever the README's quick start did to it.

The quick start studies the sample vault for real: it writes stage flags back
into the notes and a review log into ``sample_notes/.quiz/``. The tests
expect the notes as they were written for 2026-11-25, so when the folder
differs from the last commit they read a copy exported from git instead; a
fresh clone (CI) reads the folder itself.
"""

from __future__ import annotations

import atexit
import functools
import io
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FOLDER = "sample_notes"


def _git(*args: str) -> bytes | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(ROOT), *args], capture_output=True, check=True, timeout=60
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout


@functools.cache
def sample_notes() -> Path:
    """The sample vault to read and copy in tests."""
    here = ROOT / FOLDER
    changed = _git("status", "--porcelain", "--ignored", "--untracked-files=all", "--", FOLDER)
    if not changed:  # clean, or not a git checkout (a copy: CI's lone copy)
        return here
    archive = _git("archive", "--format=tar", "HEAD", FOLDER)
    if archive is None:
        return here
    target = Path(tempfile.mkdtemp(prefix="quiz-tests-"))
    atexit.register(shutil.rmtree, target, True)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")
    print(
        f"tests: {FOLDER}/ differs from the last commit (a quick-start run?); "
        f"the tests read the committed notes from {target / FOLDER}",
        file=sys.stderr,
    )
    return target / FOLDER
