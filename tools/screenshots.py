"""Copy the README's screenshots from the snapshot tests' SVGs.

The pictures in ``docs/screenshots/`` are never drawn by hand: each is a copy
of an SVG that ``tests/test_tui_snapshots.py`` checks on every run, so a
change of look that updates a snapshot (``pytest --snapshot-update``) shows
up here by running this script::

    python tools/screenshots.py          # copy the chosen snapshots
    python tools/screenshots.py --check  # exit 1 when a copy is stale

``tests/test_screenshots.py`` fails while a copy differs from its snapshot.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOTS = ROOT / "tests" / "__snapshots__" / "test_tui_snapshots"
OUT = ROOT / "docs" / "screenshots"

#: The README's picture name → the snapshot it copies (120x40: wide enough
#: for the grade keys and the Mastery table).
SHOTS: dict[str, str] = {
    "today.svg": "test_today[120x40].svg",
    "quiz-question.svg": "test_quiz_question[120x40].svg",
    "quiz-answer.svg": "test_quiz_revealed[120x40].svg",
    "quiz-typed-answer.svg": "test_quiz_typed_answer_diff[120x40].svg",
    "answer-as-obsidian-shows-it.svg": "test_answer_as_obsidian_shows_it[120x40].svg",
    "summary.svg": "test_summary[120x40].svg",
    "mastery.svg": "test_mastery_with_a_habit[120x40].svg",
}


def stale(out: Path = OUT, snapshots: Path = SNAPSHOTS) -> list[str]:
    """What is out of date in ``out``: pictures that differ, are missing or unknown."""
    problems = []
    for name, source in SHOTS.items():
        picture = out / name
        if not picture.is_file():
            problems.append(f"{name}: missing (a copy of {source})")
        elif picture.read_bytes() != (snapshots / source).read_bytes():
            problems.append(f"{name}: differs from its snapshot {source}")
    if out.is_dir():
        for extra in sorted(out.iterdir()):
            if extra.name not in SHOTS:
                problems.append(f"{extra.name}: no snapshot gives it (remove it or add to SHOTS)")
    return problems


def copy(out: Path = OUT, snapshots: Path = SNAPSHOTS) -> list[str]:
    """Copy every chosen snapshot into ``out``; the names of those that changed."""
    missing = [source for source in SHOTS.values() if not (snapshots / source).is_file()]
    if missing:
        raise FileNotFoundError(f"no such snapshot in {snapshots}: {', '.join(missing)}")
    out.mkdir(parents=True, exist_ok=True)
    changed = []
    for name, source in SHOTS.items():
        data = (snapshots / source).read_bytes()
        picture = out / name
        if not picture.is_file() or picture.read_bytes() != data:
            picture.write_bytes(data)
            changed.append(name)
    return changed


def main(argv: list[str] | None = None) -> int:
    """Copy the screenshots, or with ``--check`` say which are stale."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--check", action="store_true", help="change nothing; exit 1 when a copy is stale"
    )
    args = parser.parse_args(argv)
    if args.check:
        problems = stale()
        for problem in problems:
            print(f"docs/screenshots/{problem}", file=sys.stderr)
        if problems:
            print("run: python tools/screenshots.py", file=sys.stderr)
        return 1 if problems else 0
    try:
        changed = copy()
    except FileNotFoundError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"{len(changed)} of {len(SHOTS)} screenshots updated in docs/screenshots/")
    for name in changed:
        print(f"  {name}")
    for problem in stale():  # files no snapshot gives
        print(f"docs/screenshots/{problem}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
