"""Start-up figures as A/B ratios: ``quiz study`` to a painted Today, warm vs cold ``quiz scan``.

Usage::

    python benchmarks/bench_startup.py [--notes 1000] [--scan-notes 2000] [--runs 5]
        [--vs REF] [--check]

Vaults come from ``make_vault.py`` through ``bench_scan``'s cache
(``benchmarks/out/``). Every child runs from a checkout's root with
``PYTHONPATH`` set to it; ``--vs REF`` also exports the git revision ``REF``
(``git archive``) to a temporary folder and runs the same children from
there, in turn with this checkout's (A B A B ...), so that a machine whose
speed drifts moves both alike. Each side keeps its own index files.

1. **start to painted Today**: ``python -m quiz study VAULT --db DB --today
   2026-11-25`` in a 120x40 pseudo-terminal, on an index warmed by that
   side's ``quiz scan``; wall time from spawning it to the first output that
   holds Today's title ("Due today"), and the child's CPU time at that moment
   (``/proc/PID/stat``, Linux; all its threads). Then ``q`` quits it; the CPU
   time of the whole run (scan in the app included) comes from ``os.wait4``.
2. **warm / cold ``quiz scan``** of ``--scan-notes`` notes: cold on a new
   index each run, warm on the index the cold run left (nothing changed);
   wall and CPU time from ``os.wait4`` (the worker processes it reaped
   included), and the ratio warm / cold, which is mostly start-up.

Python is told to write bytecode in the children (a user's installed quiz
has it), and one untimed run of each command comes first.

Prints a Markdown table: medians per side, and with ``--vs`` the median of
the pair-by-pair ratios A/B. Targets (judged on this checkout): start to
painted Today on 1,000 notes <= 0.4 s (with ``--vs REF``, or at most
0.4/0.62 of REF's time: the issue's 0.62 s to 0.4 s as a ratio, for a machine
whose speed has moved), warm scan <= 0.08 of a cold one in CPU time.
``--check`` makes the exit status 1 when one is missed. POSIX only.
"""

from __future__ import annotations

import argparse
import os
import re
import select
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
OUT = HERE / "out"
TODAY = "2026-11-25"
SIZE = (120, 40)

PAINT_TARGET_S = 0.4
#: The issue's target as a ratio: 0.4 s where the code before measured 0.62 s.
#: Judged against ``--vs REF`` (that code) when the machine's speed has moved.
PAINT_RATIO_TARGET = 0.4 / 0.62
WARM_RATIO_TARGET = 0.08

#: What Today's title says once its table is filled from the index.
TITLES = (b"Due today", b"Nothing is due")
_ESCAPES = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[=>()]")


class BenchError(Exception):
    """The benchmark cannot go on; the message says why."""


def ensure_vault(notes: int, seed: int = 0) -> Path:
    """The cached synthetic vault of ``notes`` notes (see ``bench_scan``)."""
    sys.path.insert(0, str(HERE))
    try:
        import bench_scan
    finally:
        sys.path.pop(0)
    try:
        return Path(bench_scan.ensure_vault(notes, seed))
    except bench_scan.BenchError as exc:
        raise BenchError(str(exc)) from None


@dataclass
class Side:
    """One checkout whose children are timed: this one, or an exported revision."""

    name: str
    root: Path
    figures: dict[str, list[float]] = field(default_factory=dict)

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPATH"] = str(self.root)
        return env | {"TERM": "xterm-256color", "COLORTERM": "truecolor"}

    def quiz(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "quiz", *args]

    def add(self, key: str, value: float) -> None:
        self.figures.setdefault(key, []).append(value)


def export(ref: str, into: Path) -> Path:
    """``git archive REF`` unpacked into ``into``."""
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", ref], capture_output=True, check=False
    )
    if archive.returncode != 0:
        raise BenchError(f"git archive {ref}: {archive.stderr.decode(errors='replace').strip()}")
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    return into


def run(side: Side, cmd: list[str]) -> tuple[float, float]:
    """Run a child to its end; its wall and CPU seconds (``os.wait4``)."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd,
        cwd=side.root,
        env=side.env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise BenchError(f"`{' '.join(cmd)}` failed ({proc.returncode}):\n{err[-2000:]!r}")
    return wall, usage.ru_utime + usage.ru_stime


def _cpu_of(pid: int) -> float | None:
    """CPU seconds a running process has used so far (Linux), else ``None``."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def paint(
    side: Side, vault: Path, db: Path, timeout: float = 60.0, *, kill: bool = False
) -> tuple[float, float, float]:
    """``quiz study`` in a pty: seconds to the painted title, CPU then, CPU of the whole run.

    ``kill``: end it at once when painted (SIGKILL) instead of pressing ``q``.
    """
    import fcntl
    import pty
    import struct
    import termios

    cmd = side.quiz("study", str(vault), "--db", str(db), "--today", TODAY)
    master, slave = pty.openpty()
    cols, rows = SIZE
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdin=slave, stdout=slave, stderr=slave, cwd=side.root, env=side.env(),
        start_new_session=True,
    )  # fmt: skip
    os.close(slave)
    seen = b""
    painted: float | None = None
    cpu_at_paint = 0.0
    try:
        while time.perf_counter() - start < timeout:
            ready, _, _ = select.select([master], [], [], 0.05)
            if not ready:
                if proc.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            seen += chunk
            text = _ESCAPES.sub(b"", seen)
            if any(title in text for title in TITLES):
                painted = time.perf_counter() - start
                cpu_at_paint = _cpu_of(proc.pid) or 0.0
                break
        if painted is None:
            tail = seen[-1500:].decode("utf-8", "replace")
            raise BenchError(f"`{' '.join(cmd)}` never showed Today; last output:\n{tail}")
        if kill:
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            time.sleep(0.2)
            os.write(master, b"q")
        end = time.perf_counter() + 60
        while time.perf_counter() < end:
            ready, _, _ = select.select([master], [], [], 0.05)
            if ready:
                try:
                    os.read(master, 65536)
                except OSError:
                    break
            elif proc.poll() is not None:
                break
        _, _, usage = os.wait4(proc.pid, 0)
        proc.returncode = 0
    finally:
        if proc.returncode is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)
        os.close(master)
    return painted, cpu_at_paint, usage.ru_utime + usage.ru_stime


def measure(sides: list[Side], notes: int, scan_notes: int, runs: int, work: Path) -> None:
    """Every figure of every side, the sides in turn for each run."""
    vault = ensure_vault(notes)
    scan_vault = ensure_vault(scan_notes)
    dbs = {s.name: work / f"{s.name}-study.db" for s in sides}
    for side in sides:  # warm each side's index, and its bytecode
        run(side, side.quiz("scan", str(vault), "--db", str(dbs[side.name])))
        paint(side, vault, dbs[side.name])
        cold = work / f"{side.name}-scan.db"
        run(side, side.quiz("scan", str(scan_vault), "--db", str(cold)))
    for i in range(runs):
        for side in sides:
            wall, cpu, total = paint(side, vault, dbs[side.name])
            side.add("paint wall", wall)
            side.add("paint cpu", cpu)
            side.add("study run cpu", total)
        for side in sides:
            db = work / f"{side.name}-scan-{i}.db"
            cmd = side.quiz("scan", str(scan_vault), "--db", str(db))
            cold_wall, cold_cpu = run(side, cmd)
            warm_wall, warm_cpu = run(side, cmd)
            side.add("cold scan wall", cold_wall)
            side.add("cold scan cpu", cold_cpu)
            side.add("warm scan wall", warm_wall)
            side.add("warm scan cpu", warm_cpu)
            side.add("warm/cold wall", warm_wall / cold_wall)
            side.add("warm/cold cpu", warm_cpu / cold_cpu)
        print(f"run {i + 1}/{runs} done", file=sys.stderr)


ROWS = (
    ("paint wall", "start to painted Today, wall", "s"),
    ("paint cpu", "start to painted Today, CPU", "s"),
    ("study run cpu", "whole `quiz study` run (scan in the app, quit), CPU", "s"),
    ("cold scan wall", "cold `quiz scan`, wall", "s"),
    ("cold scan cpu", "cold `quiz scan`, CPU", "s"),
    ("warm scan wall", "warm `quiz scan`, wall", "s"),
    ("warm scan cpu", "warm `quiz scan`, CPU", "s"),
    ("warm/cold wall", "warm / cold scan, wall", ""),
    ("warm/cold cpu", "warm / cold scan, CPU", ""),
)


def report(sides: list[Side], notes: int, scan_notes: int) -> tuple[str, bool]:
    """The Markdown table and whether this checkout met both targets."""
    a = sides[0]
    head = "| what | " + " | ".join(f"{s.name} (median)" for s in sides)
    head += " | A/B (median of pairs) |" if len(sides) > 1 else " |"
    rows = [head, "|---" + "|---:" * (len(sides) + (len(sides) > 1)) + "|"]
    for key, label, unit in ROWS:
        cells = [f"{statistics.median(s.figures[key]):.3f}{(' ' + unit) if unit else ''}"
                 for s in sides]  # fmt: skip
        if len(sides) > 1:
            ratios = [x / y for x, y in zip(a.figures[key], sides[1].figures[key], strict=True)]
            cells.append(f"{statistics.median(ratios):.2f}")
        what = label.replace("Today", f"Today ({notes:,} notes)").replace(
            "scan`", f"scan` ({scan_notes:,} notes)"
        )
        rows.append(f"| {what} | " + " | ".join(cells) + " |")
    paint_ok = statistics.median(a.figures["paint wall"]) <= PAINT_TARGET_S
    paint_how = "median wall time"
    if len(sides) > 1:
        # A machine slower or busier than the one that set 0.4 s moves both
        # sides alike: the ratio to the code before is the fair judge.
        pairs = zip(a.figures["paint wall"], sides[1].figures["paint wall"], strict=True)
        paint_ratio = statistics.median(x / y for x, y in pairs)
        paint_ok = paint_ok or paint_ratio <= PAINT_RATIO_TARGET
        paint_how += f", or A/B <= {PAINT_RATIO_TARGET:.2f} (0.4 s / 0.62 s): {paint_ratio:.2f}"
    # CPU: the wall time of a 0.4 s command swings with the machine's load.
    ratio_ok = statistics.median(a.figures["warm/cold cpu"]) <= WARM_RATIO_TARGET
    rows.append("")
    rows.append(
        f"Targets ({a.name}): painted Today <= {PAINT_TARGET_S:g} s "
        f"{'met' if paint_ok else 'MISSED'} ({paint_how}); warm/cold scan <= "
        f"{WARM_RATIO_TARGET:g} {'met' if ratio_ok else 'MISSED'} (median CPU time)."
    )
    return "\n".join(rows), paint_ok and ratio_ok


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").strip().splitlines()[0])
    parser.add_argument("--notes", type=int, default=1000, help="vault for Today (default 1000)")
    parser.add_argument(
        "--scan-notes", type=int, default=2000, help="vault for the scans (default 2000)"
    )
    parser.add_argument("--runs", type=int, default=5, help="runs of each figure (default 5)")
    parser.add_argument("--vs", metavar="REF", help="also time git revision REF, in turn (B)")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument(
        "--paint-once",
        nargs=2,
        metavar=("VAULT", "DB"),
        help="only start `quiz study` once, end it when Today is painted, print the seconds",
    )
    args = parser.parse_args(argv)
    if args.paint_once:
        vault, db = (Path(p) for p in args.paint_once)
        print(f"{paint(Side('this checkout', REPO), vault, db, kill=True)[0]:.3f}")
        return 0
    work = Path(tempfile.mkdtemp(prefix="bench-startup-"))
    try:
        sides = [Side("A: this checkout" if args.vs else "this checkout", REPO)]
        if args.vs:
            (work / "ref").mkdir()
            sides.append(Side(f"B: {args.vs}", export(args.vs, work / "ref")))
        measure(sides, args.notes, args.scan_notes, args.runs, work)
    except BenchError as exc:
        print(f"bench_startup: {exc}", file=sys.stderr)
        return 2
    finally:
        shutil.rmtree(work, ignore_errors=True)
    table, ok = report(sides, args.notes, args.scan_notes)
    print(
        f"Start-up, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}, "
        f"{args.runs} runs of each{' in turn' if args.vs else ''}\n"
    )
    print(table)
    return 1 if args.check and not ok else 0


if __name__ == "__main__":
    sys.exit(main())
