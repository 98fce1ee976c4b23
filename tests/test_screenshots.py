"""README's screenshots are copies of the snapshot tests' SVGs, never stale."""

from __future__ import annotations

import re
import runpy
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "tools" / "screenshots.py"
TOOL = runpy.run_path(str(SCRIPT))  # defines, does not copy
SHOTS: dict[str, str] = TOOL["SHOTS"]
SNAPSHOTS: Path = TOOL["SNAPSHOTS"]


def test_each_screenshot_is_its_snapshot() -> None:
    problems = TOOL["stale"]()
    assert not problems, "\n".join([*problems, "run: python tools/screenshots.py"])


def test_each_screenshot_comes_from_a_snapshot_the_tests_take() -> None:
    assert SNAPSHOTS == ROOT / "tests" / "__snapshots__" / "test_tui_snapshots"
    missing = [source for source in SHOTS.values() if not (SNAPSHOTS / source).is_file()]
    assert not missing


def test_the_readme_shows_each_screenshot() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    linked = re.findall(r"!\[[^\]]+\]\((docs/screenshots/[^)\s]+)\)", readme)
    assert sorted(Path(link).name for link in linked) == sorted(SHOTS)
    assert all((ROOT / link).is_file() for link in linked)


def test_a_changed_snapshot_makes_its_copy_stale_until_copied(tmp_path: Path) -> None:
    snapshots, out = tmp_path / "snapshots", tmp_path / "out"
    snapshots.mkdir()
    for source in SHOTS.values():
        (snapshots / source).write_bytes((SNAPSHOTS / source).read_bytes())
    assert sorted(TOOL["copy"](out, snapshots)) == sorted(SHOTS)
    assert TOOL["stale"](out, snapshots) == []

    name, source = next(iter(SHOTS.items()))
    (snapshots / source).write_bytes((snapshots / source).read_bytes() + b"\n")
    (out / "old.svg").write_text("<svg/>", encoding="utf-8")
    assert TOOL["stale"](out, snapshots) == [
        f"{name}: differs from its snapshot {source}",
        "old.svg: no snapshot gives it (remove it or add to SHOTS)",
    ]
    assert TOOL["copy"](out, snapshots) == [name]


def test_the_script_checks_from_the_command_line() -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--check"], capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stderr) == (0, "")
