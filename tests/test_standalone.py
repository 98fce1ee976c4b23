"""The repository stands alone: a clone with nothing beside it is complete."""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement

from .conftest import ROOT, SEED_NOTES

#: Folders that are not the project's text: tools' output and caches (and
#: every dot-folder but .ci: .git, .venv, .hypothesis, .mypy_cache ...).
_SKIP_DIRS = {"__pycache__", "build", "dist", "out"}
#: Spelled in two parts so that this file does not name them itself.
_OUTSIDE = ("../" + "shared", "/" + "work/")


def project_files() -> list[Path]:
    files = []
    for folder, dirs, names in os.walk(ROOT):
        dirs[:] = [
            d
            for d in dirs
            if d not in _SKIP_DIRS
            and not d.endswith(".egg-info")
            and (d == ".ci" or not d.startswith("."))
        ]
        # A worktree's .git is a file naming where its repository lives.
        files += [Path(folder, n) for n in names if n != ".git"]
    return files


def test_nothing_refers_to_files_outside_the_repository() -> None:
    found = []
    for path in project_files():
        text = path.read_bytes().decode("utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), 1):
            if any(needle in line for needle in _OUTSIDE):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == []
    assert len(project_files()) > 100  # the walk did see the project


def fenced_after(text: str, marker: str) -> str:
    """The first line of the first code block after ``marker``."""
    tail = text.split(marker, 1)[1]
    return tail.split("```sh\n", 1)[1].split("\n", 1)[0]


def test_readme_test_command_is_the_one_ci_runs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = fenced_after(readme, "Run the tests")
    assert command.startswith("python3 -m venv .venv && ") and "pytest" in command
    assert "-c constraints/test.txt" in command
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    (in_ci,) = re.findall(r'^test_command="(.*)"$', ci, re.MULTILINE)
    assert in_ci == command


def test_constraints_pin_versions_pyproject_allows() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    project = pyproject["project"]
    declared = [Requirement(r) for r in project["dependencies"]]
    for extra in project["optional-dependencies"].values():
        declared += [Requirement(r) for r in extra]
    ranges = {r.name.lower(): r.specifier for r in declared}
    pins = {}
    for line in (ROOT / "constraints" / "test.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, version = line.split("==")
            pins[name.lower()] = version
    # The snapshot toolchain is pinned, and each pin is inside the range users get.
    assert {"textual", "rich", "pytest-textual-snapshot", "syrupy"} <= pins.keys()
    for name, version in pins.items():
        if name in ranges:
            assert ranges[name].contains(version), f"{name}=={version} not in {ranges[name]}"


def test_distribution_name_is_not_the_taken_one() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    # "quiz" on PyPI is another project; the package and command keep the name.
    assert pyproject["project"]["name"] == "cornell-quiz"
    assert pyproject["project"]["scripts"] == {"quiz": "quiz.cli:main"}
    assert "cornell-quiz[korean]" in pyproject["project"]["optional-dependencies"]["test"]


def test_seed_notes_are_in_the_repository() -> None:
    assert SEED_NOTES.is_relative_to(ROOT)
    clean = (SEED_NOTES / "aws-lambda.md").read_bytes()
    mangled = (SEED_NOTES / "aws-lambda.mojibake.md").read_bytes()
    assert clean.startswith(b"---\n") and "### 단서 질문".encode() in clean
    # The export's damage: Korean as Windows-1252 read back as UTF-8.
    assert "단서 질문".encode() not in mangled and "ë‹¨ì„œ".encode() in mangled
