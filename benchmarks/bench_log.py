"""Time a cold rebuild of the index from the review logs in a vault.

Usage::

    python benchmarks/bench_log.py [--reviews 10000] [--devices 2] [--runs 3] [--seed 0]

It writes a vault under ``benchmarks/out/logvault-R-dD-sS/`` (gitignored) that
holds nothing but the review logs of ``--devices`` devices: sessions of whole
notes (10 cards each, 1,500 cards in all) spread over 120 days, each device in
its own file, with a few grades undone and every session's outcome, in the
lines a session writes (``quiz.store.log.event_line``). Output depends only on
the arguments.

Then, as a user runs it, ``python -m quiz scan VAULT --db NEW`` runs as a child
process on a new database each run, A/B against the same vault without its
logs (so the difference is the import). Wall time is measured around the
child's whole life, CPU time comes from ``os.wait4``. In this process,
``import_logs`` on a new database is timed too (CPU time): reading and merging
the lines, and the FSRS replay of every card. POSIX only (``os.wait4``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
OUT = HERE / "out"
sys.path.insert(0, str(REPO))

from quiz.store.log import event_line, new_id  # noqa: E402

NOTES = 150
CARDS_PER_NOTE = 10
START = dt.datetime(2026, 7, 28, 7, 0, tzinfo=dt.UTC)


def make_logs(folder: Path, reviews: int, devices: int, seed: int) -> int:
    """Write the devices' log files; return how many grades they hold."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    lines: dict[str, list[bytes]] = {f"device{d}-{d:012x}": [] for d in range(devices)}
    names = list(lines)
    grades = 0
    when = START
    while grades < reviews:
        device = rng.choice(names)
        note = rng.randrange(NOTES)
        path = f"subject {note % 12}/note {note}.md"
        session = new_id()
        day = when.date().isoformat()
        started = when
        graded: list[str] = []
        for ordinal in range(CARDS_PER_NOTE):
            when += dt.timedelta(seconds=rng.uniform(4, 40))
            event = new_id()
            lines[device].append(
                event_line(
                    event,
                    "grade",
                    when,
                    device,
                    session=session,
                    note=path,
                    key=f"note {note}",
                    day=day,
                    card=f"{note:08x}{ordinal:08x}",
                    grade=rng.choice((1, 2, 3, 3, 3, 4)),
                    typed=None,
                    similarity=None,
                    duration_ms=rng.randrange(1000, 30000),
                    cards=CARDS_PER_NOTE,
                    started=started.isoformat(timespec="milliseconds"),
                )
            )
            graded.append(event)
            grades += 1
            if rng.random() < 0.02:  # taken back, then graded again
                when += dt.timedelta(seconds=1)
                lines[device].append(
                    event_line(
                        new_id(),
                        "undo",
                        when,
                        device,
                        session=session,
                        note=path,
                        day=day,
                        card=f"{note:08x}{ordinal:08x}",
                        undoes=event,
                    )
                )
                grades -= 1
                graded.pop()
        when += dt.timedelta(seconds=2)
        lines[device].append(
            event_line(
                new_id(),
                "session",
                when,
                device,
                session=session,
                note=path,
                day=day,
                note_path=path,
                started_at=started.isoformat(timespec="milliseconds"),
                finished_at=when.isoformat(timespec="milliseconds"),
                cards=CARDS_PER_NOTE,
                graded=len(graded),
                complete=1,
                passed=1,
                outcome="practice",
                stage=None,
                rate_before=None,
                rate_after=None,
                first_studied=None,
                written=0,
                write_message="practice",
            )
        )
        # Two or three sessions a day.
        when += dt.timedelta(hours=rng.uniform(2, 12))
    for device, device_lines in lines.items():
        (folder / f"{device}.jsonl").write_bytes(b"".join(device_lines))
    return grades


def run_child(vault: Path, db: Path) -> tuple[float, float]:
    """Wall and CPU seconds of ``quiz scan VAULT --db DB`` in a child."""
    cmd = [sys.executable, "-m", "quiz", "scan", str(vault), "--db", str(db)]
    start = time.perf_counter()
    # Bytecode written, as an installed quiz has it (see bench_scan.child_env).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    proc = subprocess.Popen(
        cmd, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        err = proc.stderr.read().decode() if proc.stderr else ""
        sys.exit(f"{' '.join(cmd)} failed:\n{err[-2000:]}")
    if proc.stderr:
        proc.stderr.close()
    return wall, usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reviews", type=int, default=10_000)
    parser.add_argument("--devices", type=int, default=2)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    vault = OUT / f"logvault-{args.reviews}-d{args.devices}-s{args.seed}"
    bare = OUT / "logvault-empty"
    shutil.rmtree(vault, ignore_errors=True)
    t0 = time.process_time()
    grades = make_logs(vault / ".quiz" / "log", args.reviews, args.devices, args.seed)
    made = time.process_time() - t0
    bare.mkdir(parents=True, exist_ok=True)
    size = sum(p.stat().st_size for p in (vault / ".quiz" / "log").iterdir())
    print(f"{grades} grades in {args.devices} logs, {size / 1e6:.1f} MB, written in {made:.2f} s")

    from quiz.config import Settings
    from quiz.store import open_db
    from quiz.store.log import import_logs

    rows: dict[str, list[tuple[float, float]]] = {"with logs": [], "no logs": []}
    inproc: list[float] = []
    with tempfile.TemporaryDirectory(dir=OUT) as tmp:
        for run in range(args.runs):
            for label, where in (("with logs", vault), ("no logs", bare)):
                rows[label].append(run_child(where, Path(tmp) / f"{label[:2]}-{run}.db"))
            db = open_db(Path(tmp) / f"inproc-{run}.db")
            try:
                t0 = time.process_time()
                report = import_logs(db, vault, Settings())
                inproc.append(time.process_time() - t0)
                assert report.events >= grades, report
                count = db.execute("SELECT count(*) FROM reviews").fetchone()[0]
                assert count == grades, (count, grades)
            finally:
                db.close()

    print()
    print("| `quiz scan`, new index | wall min | wall median | CPU median |")
    print("|---|---|---|---|")
    for label, values in rows.items():
        walls = [w for w, _ in values]
        cpus = [c for _, c in values]
        print(
            f"| {label} | {min(walls):.2f} s | {statistics.median(walls):.2f} s "
            f"| {statistics.median(cpus):.2f} s |"
        )
    print()
    print(
        f"`import_logs` alone (in process, {grades} grades): CPU median "
        f"{statistics.median(inproc):.2f} s, min {min(inproc):.2f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
