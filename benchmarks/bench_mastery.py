"""Time the Mastery screen with its habit charts on a synthetic vault.

Usage::

    python benchmarks/bench_mastery.py [--notes 10000] [--seed 0] [--runs 5] [--check]

The vault is ``make_vault.py``'s, cached in ``benchmarks/out/`` (the same
cache as ``bench_scan.py``); its index is built once with ``quiz scan`` into
``benchmarks/out/db/mastery-N-sS.db``. A copy of that index then gets twelve
weeks of made-up history, so the charts have something to draw: sessions of
whole notes on most days before ``TODAY`` (about 150 grades a day, some days
skipped), each card's FSRS state from its grades (``quiz.schedule.memory``),
written straight into the copy's tables. Output depends only on the arguments.

Then, in one process (``App.run_test`` at 120x40, write-back off), for each
run: press ``m`` on Today and time until the first screen update after it has
been built as a terminal would get it (headless Textual skips that, so the
benchmark does it, as ``bench_tui.py`` does), then ``escape`` back. Wall and
CPU time (``time.process_time``) are reported; the target is the median wall
time under 300 ms. The figures' queries alone (``mastery`` and ``habits``)
are timed too. ``--check`` makes the exit status 1 when the target is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
OUT = HERE / "out"
TODAY = dt.date(2026, 11, 25)
SIZE = (120, 40)
TARGET_MS = 300.0


def ensure_index(notes: int, seed: int) -> tuple[Path, Path]:
    """The cached vault and its scanned index."""
    sys.path.insert(0, str(HERE))
    try:
        import bench_scan
    finally:
        sys.path.pop(0)
    vault = Path(bench_scan.ensure_vault(notes, seed))
    db = OUT / "db" / f"mastery-{notes}-s{seed}.db"
    db.parent.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "quiz", "scan", str(vault), "--db", str(db)]
    done = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"`{' '.join(cmd)}` failed:\n{done.stderr[-2000:]}")
    return vault, db


def add_history(db: Path, seed: int, per_day: int = 150) -> int:
    """Twelve weeks of sessions, grades and card memory; returns the grades."""
    from quiz.schedule import memory
    from quiz.schedule.stages import Grade

    rng = random.Random(seed)
    conn = sqlite3.connect(db)
    notes = [
        (path, [c for (c,) in conn.execute("SELECT id FROM cards WHERE note_path = ?", [path])])
        for (path,) in conn.execute(
            "SELECT path FROM notes WHERE gone_at IS NULL AND card_count > 0 ORDER BY path"
        )
    ]
    states: dict[str, tuple[str, int]] = {}
    graded = 0
    with conn:
        for back in range(83, -1, -1):
            day = TODAY - dt.timedelta(days=back)
            if back and rng.random() < 0.15:
                continue  # a day off
            start = dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)
            count = 0
            while count < per_day:
                path, cards = rng.choice(notes)
                when = start + dt.timedelta(minutes=rng.randrange(600))
                sid = conn.execute(
                    "INSERT INTO sessions (note_path, day, started_at, finished_at, cards, graded,"
                    " complete) VALUES (?, ?, ?, ?, ?, ?, 1)",
                    [
                        path,
                        day.isoformat(),
                        when.isoformat(),
                        when.isoformat(),
                        len(cards),
                        len(cards),
                    ],
                ).lastrowid
                for card in cards:
                    when += dt.timedelta(seconds=rng.randrange(5, 40))
                    grade = Grade(rng.choice((1, 2, 3, 3, 3, 4)))
                    before, n = states.get(card, (None, 0))
                    after = memory.review(before, grade, when)
                    states[card] = (after, n + 1)
                    conn.execute(
                        "INSERT INTO reviews (session_id, card_id, grade, duration_ms,"
                        " reviewed_at, day, memory_before) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        [
                            sid,
                            card,
                            int(grade),
                            rng.randrange(3000, 40000),
                            when.isoformat(),
                            day.isoformat(),
                            before,
                        ],
                    )
                    count += 1
                    graded += 1
        conn.executemany(
            "INSERT OR REPLACE INTO memory (card_id, state, due, last_review, reviews) "
            "VALUES (?, ?, ?, ?, ?)",
            [
                (card, state, json.loads(state)["due"], json.loads(state)["last_review"], n)
                for card, (state, n) in states.items()
            ],
        )
    conn.close()
    return graded


def _child(vault: Path, db: Path, runs: int) -> None:
    from textual.widgets import DataTable

    from quiz.clock import utc_now
    from quiz.config import load_settings
    from quiz.store.habits import habits
    from quiz.store.queries import mastery
    from quiz.store.schema import open_db
    from quiz.study import Study
    from quiz.tui.app import QuizApp
    from quiz.tui.mastery import MasteryScreen

    store = open_db(db)
    settings = load_settings(vault)
    study = Study(store, vault, settings, TODAY, write=False)
    now = dt.datetime.combine(TODAY, utc_now().timetz())
    # CPU time: on a busy machine wall time mostly measures the wait for a core.
    queries: dict[str, list[float]] = {"mastery": [], "habits": []}
    for _ in range(runs):
        t = time.process_time()
        mastery(store, settings, TODAY, now)
        queries["mastery"].append((time.process_time() - t) * 1000)
        t = time.process_time()
        habits(store, settings, TODAY)
        queries["habits"].append((time.process_time() - t) * 1000)

    app = QuizApp(study)
    painted: list[float] = []
    shown: list[tuple[float, float]] = []
    display = app._display

    def display_and_build(screen: Any, update: Any) -> None:
        display(screen, update)
        if update is not None and hasattr(update, "render_segments"):
            update.render_segments(app.console)  # what a terminal run writes
        if isinstance(screen, MasteryScreen) and not shown:
            # The first frame of Mastery, filled or not (its figures may
            # still be in the making): wall and CPU.
            shown.append((time.perf_counter(), time.process_time()))
        # Frames of a filled Mastery: the table and the charts.
        if (
            isinstance(screen, MasteryScreen)
            and screen.query_one("#mastery-table", DataTable).row_count
        ):
            painted.append(time.perf_counter())

    app._display = display_and_build  # type: ignore[method-assign]
    wall: list[float] = []
    cpu: list[float] = []
    first_wall: list[float] = []
    first_cpu: list[float] = []
    chart = ""

    async def run() -> None:
        nonlocal chart
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            for _ in range(runs):
                painted.clear()
                shown.clear()
                start, work = time.perf_counter(), time.process_time()
                await pilot.press("m")
                while not painted:
                    await asyncio.sleep(0.001)
                wall.append((painted[0] - start) * 1000)
                first_wall.append((shown[0][0] - start) * 1000)
                first_cpu.append((shown[0][1] - work) * 1000)
                # CPU until the press is handled and the app idle (the
                # first frame's CPU cannot be told apart in-process).
                cpu.append((time.process_time() - work) * 1000)
                chart = str(app.screen.query_one("#habit-line").render())
                await pilot.press("escape")
                await pilot.pause()

    asyncio.run(run())
    store.close()
    print(
        json.dumps(
            {
                "wall": wall,
                "cpu": cpu,
                "first_wall": first_wall,
                "first_cpu": first_cpu,
                "line": chart,
                **queries,
            }
        )
    )


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notes", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--check", action="store_true", help="exit 1 when the target is missed")
    args = parser.parse_args(argv)
    vault, db = ensure_index(args.notes, args.seed)
    with tempfile.TemporaryDirectory(prefix="bench-mastery-") as tmp:
        copy = Path(tmp) / "db.sqlite3"
        with sqlite3.connect(db) as src, sqlite3.connect(copy) as dst:
            src.backup(dst)
        graded = add_history(copy, args.seed)
        cmd = [sys.executable, str(Path(__file__).resolve()), "_child", str(vault), str(copy)]
        done = subprocess.run([*cmd, str(args.runs)], cwd=REPO, capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"child failed:\n{done.stderr[-3000:]}")
        result = json.loads(done.stdout.strip().splitlines()[-1])
    wall, cpu = result["wall"], result["cpu"]
    met = median(wall) < TARGET_MS
    print(f"{args.notes:,} notes, {graded:,} grades over 12 weeks, {args.runs} runs, 120x40\n")
    print("| what | median | max | target |")
    print("|---|---|---|---|")
    print(
        f"| `m` to painted Mastery with charts, wall | {median(wall):.0f} ms | {max(wall):.0f} ms"
        f" | < {TARGET_MS:.0f} ms {'✔' if met else '✘'} |"
    )
    print(f"| the same, CPU until idle | {median(cpu):.0f} ms | {max(cpu):.0f} ms | |")
    first_wall, first_cpu = result["first_wall"], result["first_cpu"]
    print(
        f"| `m` to Mastery's first frame (figures may follow), wall | {median(first_wall):.0f} ms"
        f" | {max(first_wall):.0f} ms | |"
    )
    print(f"| the same, CPU | {median(first_cpu):.0f} ms | {max(first_cpu):.0f} ms | |")
    for name in ("mastery", "habits"):
        values = result[name]
        print(f"| `{name}()` alone, CPU | {median(values):.0f} ms | {max(values):.0f} ms | |")
    print(f"\nhabit line: {result['line']}")
    return 1 if args.check and not met else 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_child":
        sys.path.insert(0, str(REPO))
        _child(Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4]))
    else:
        raise SystemExit(main())
