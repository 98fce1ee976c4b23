"""The maintainers' scripts outside the package still run against it."""

from __future__ import annotations

import runpy
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "tools" / "build_syllable_model.py"


def test_the_syllable_model_build_writes_where_the_package_reads() -> None:
    script = runpy.run_path(str(BUILD))  # defines, does not build
    assert script["OUT"] == ROOT / "quiz" / "notes" / "data" / "hangul_syllables.json.gz"
    assert script["OUT"].is_file()
    # The boundary classes are the repair's own.
    assert [script["char_class"](c) for c in (None, " ", "a", "7", "-")] == [
        "space",
        "space",
        "letter",
        "digit",
        "other",
    ]


def test_the_syllable_model_build_runs_as_a_script() -> None:
    done = subprocess.run(
        [sys.executable, str(BUILD), "--help"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "--corpus-cache" in done.stdout
