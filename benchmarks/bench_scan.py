"""Time ``quiz scan`` on synthetic vaults, cold and warm, as a user runs it.

Usage::

    python benchmarks/bench_scan.py [--notes 1000 10000] [--runs 3] [--seed 0]
        [--layouts mixed|seed] [--keep] [--check]

For each size the vault is generated once by ``make_vault.py`` and cached under
``benchmarks/out/vault-N-sS/`` (gitignored; regenerated when missing, partial or
from an older generator). Then ``python -m quiz scan VAULT --db DB`` runs as a
child process, from the repository root:

- *cold*: a fresh database file each run (the page cache is warm: only the
  database is new);
- *warm*: the database left by the cold runs, with nothing changed on disk.

Each child's wall time is measured around its whole life; its CPU time and max
RSS come from ``os.wait4`` (that child and the workers it reaped, not the
cumulative ``RUSAGE_CHILDREN`` of this script). Because ``quiz scan`` may parse
in worker processes, whose memory adds up, the summed PSS of the child and its
descendants is also sampled from ``/proc`` every 50 ms (Linux only).

The result is a Markdown table with min and median wall time, median CPU time
(steadier than wall time on a busy machine), the worst peaks and the targets:
cold 10k < 10 s, warm < 0.5 s, peak memory < 200 MB. Time targets are judged on
the median wall time, memory on the larger of the two memory figures.

The databases go to ``benchmarks/out/db/`` and are deleted afterwards unless
``--keep``. ``--check`` makes the exit status 1 when a target is missed.
A failing ``quiz scan`` (non-zero exit) stops the run with its stderr.
POSIX only (``os.wait4``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
OUT = HERE / "out"
MAKE_VAULT = HERE / "make_vault.py"

# Must match make_vault.py; a vault whose marker differs is regenerated.
MARKER = ".make_vault.json"
GENERATOR_VERSION = 2


def child_env() -> dict[str, str]:
    """This environment, but Python writes bytecode, as an installed quiz has it.

    With ``PYTHONDONTWRITEBYTECODE`` set every child would compile quiz's
    modules anew: a tenth of a second or more of each start-up, which no
    user pays.
    """
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


COLD_TARGET_S = 10.0
COLD_TARGET_NOTES = 10_000
WARM_TARGET_S = 0.5
RSS_TARGET_MB = 200.0


class BenchError(Exception):
    """The benchmark cannot go on; the message says why."""


@dataclass(frozen=True)
class Run:
    """One ``quiz scan`` process.

    ``seconds`` is wall time; ``cpu_seconds`` user + system time of the child and
    the workers it reaped; ``peak_rss`` the largest max RSS of any one of those
    processes (``os.wait4``); ``peak_total`` the largest sampled sum of their
    proportional set sizes (PSS) while they ran, or ``None`` where ``/proc``
    cannot tell.
    """

    seconds: float
    cpu_seconds: float
    peak_rss: int
    peak_total: int | None


@dataclass(frozen=True)
class Row:
    """All runs of one kind (cold or warm) on one vault."""

    notes: int
    kind: str
    runs: tuple[Run, ...]
    vault_mb: float

    @property
    def min_s(self) -> float:
        return min(run.seconds for run in self.runs)

    @property
    def median_s(self) -> float:
        return statistics.median(run.seconds for run in self.runs)

    @property
    def median_cpu_s(self) -> float:
        return statistics.median(run.cpu_seconds for run in self.runs)

    @property
    def peak_mb(self) -> float:
        return max(run.peak_rss for run in self.runs) / 1e6

    @property
    def total_mb(self) -> float | None:
        totals = [run.peak_total for run in self.runs]
        return None if None in totals else max(t or 0 for t in totals) / 1e6

    @property
    def memory_mb(self) -> float:
        """The figure the memory target is judged on: the whole tree where known."""
        total = self.total_mb
        return self.peak_mb if total is None else max(total, self.peak_mb)

    def time_target(self) -> float | None:
        """The time target for this row, or ``None`` where none is set."""
        if self.kind == "warm":
            return WARM_TARGET_S
        return COLD_TARGET_S if self.notes == COLD_TARGET_NOTES else None

    def met(self) -> bool:
        """Whether the median time and the peak memory meet their targets."""
        target = self.time_target()
        time_ok = target is None or self.median_s < target
        return time_ok and self.memory_mb < RSS_TARGET_MB


def _rss_bytes(ru_maxrss: int) -> int:
    # Linux reports kilobytes, macOS bytes.
    return ru_maxrss if sys.platform == "darwin" else ru_maxrss * 1024


def _children(pid: int) -> list[int]:
    kids: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as f:
                kids += [int(kid) for kid in f.read().split()]
    except (OSError, ValueError):
        pass
    return kids


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


class TreeSampler(threading.Thread):
    """Sample the summed PSS of a process and its descendants (Linux ``/proc``).

    ``os.wait4`` gives the peak of each process alone; ``quiz scan`` parses in a
    pool of worker processes, so what the machine sees is their sum. PSS splits
    pages shared after ``fork`` between the processes instead of counting them
    in each one. Sampled, so a peak shorter than the interval can be missed.
    """

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.interval = interval
        self.peak = 0
        self._done = threading.Event()
        self.supported = Path(f"/proc/{pid}/smaps_rollup").exists()

    def run(self) -> None:
        while not self._done.is_set():
            stack, total = [self.pid], 0
            while stack:
                pid = stack.pop()
                total += _pss(pid)
                stack += _children(pid)
            self.peak = max(self.peak, total)
            self._done.wait(self.interval)

    def stop(self) -> int | None:
        """Stop sampling; the peak in bytes, or ``None`` if it could not be measured."""
        self._done.set()
        self.join()
        return self.peak if self.supported and self.peak else None


def _tail(path: Path, lines: int = 20) -> str:
    text = path.read_text(encoding="utf-8", errors="replace").rstrip()
    return "\n".join(text.splitlines()[-lines:]) or "(no output)"


def run_scan(vault: Path, db: Path, logs: Path) -> Run:
    """Run ``python -m quiz scan VAULT --db DB`` once and measure the child alone."""
    cmd = [sys.executable, "-m", "quiz", "scan", str(vault), "--db", str(db)]
    stdout_path, stderr_path = logs / "scan.stdout", logs / "scan.stderr"
    with stdout_path.open("wb") as out, stderr_path.open("wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL, cwd=REPO, env=child_env()
        )
        sampler = TreeSampler(proc.pid)
        sampler.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        except BaseException:  # Ctrl-C: do not leave the scan running
            proc.kill()
            proc.wait()
            raise
        finally:
            seconds = time.perf_counter() - start
            peak_total = sampler.stop()
    # wait4 reaped the child; tell Popen so it does not wait for it again.
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        hint = ""
        stderr = stderr_path.read_text(encoding="utf-8", errors="replace")
        if "No module named quiz.__main__" in stderr or "invalid choice: 'scan'" in stderr:
            hint = "\n(the `quiz scan` command does not seem to exist yet in this checkout)"
        raise BenchError(
            f"`{' '.join(cmd)}` failed with exit code {proc.returncode}.{hint}\n"
            f"--- last lines of its stderr ---\n{_tail(stderr_path)}"
        )
    if not db.exists():
        raise BenchError(f"`quiz scan` exited 0 but wrote no database at {db}")
    cpu = usage.ru_utime + usage.ru_stime
    return Run(seconds, cpu, _rss_bytes(usage.ru_maxrss), peak_total)


def _remove_db(db: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)


def ensure_vault(notes: int, seed: int, layouts: str = "mixed") -> Path:
    """The cached vault of ``notes`` notes, generated if missing or out of date.

    ``layouts`` is ``make_vault.py``'s: ``mixed`` (some notes in the other
    Cornell layouts) or ``seed`` (every note in the seed's layout).
    """
    vault = OUT / (f"vault-{notes}-s{seed}" + ("-seed" if layouts == "seed" else ""))
    want = {
        "generator_version": GENERATOR_VERSION,
        "notes": notes,
        "seed": seed,
        "layouts": layouts,
    }
    marker = vault / MARKER
    if marker.is_file() and json.loads(marker.read_text(encoding="utf-8")) == want:
        return vault
    print(f"generating {vault.relative_to(REPO)} ...", file=sys.stderr)
    cmd = [sys.executable, str(MAKE_VAULT), str(vault), "--notes", str(notes)]
    cmd += ["--seed", str(seed), "--layouts", layouts, "--force"]
    done = subprocess.run(cmd, cwd=REPO, check=False)
    if done.returncode != 0:
        raise BenchError(f"`{' '.join(cmd)}` failed with exit code {done.returncode}")
    return vault


def vault_megabytes(vault: Path) -> float:
    """Total size of the vault's notes in MB."""
    return sum(path.stat().st_size for path in vault.rglob("*.md")) / 1e6


def bench(notes: int, seed: int, runs: int, keep: bool, layouts: str = "mixed") -> list[Row]:
    """Cold then warm runs on one vault."""
    vault = ensure_vault(notes, seed, layouts)
    size = vault_megabytes(vault)
    (OUT / "db").mkdir(parents=True, exist_ok=True)
    db = OUT / "db" / f"scan-{notes}-s{seed}.db"
    with tempfile.TemporaryDirectory(prefix="bench-scan-") as tmp:
        logs = Path(tmp)
        cold = []
        for i in range(runs):
            _remove_db(db)
            cold.append(run_scan(vault, db, logs))
            print(f"{notes:>6} notes  cold #{i + 1}: {cold[-1].seconds:.3f} s", file=sys.stderr)
        warm = []
        for i in range(runs):
            warm.append(run_scan(vault, db, logs))
            print(f"{notes:>6} notes  warm #{i + 1}: {warm[-1].seconds:.3f} s", file=sys.stderr)
    if not keep:
        _remove_db(db)
    return [Row(notes, "cold", tuple(cold), size), Row(notes, "warm", tuple(warm), size)]


def table(rows: Sequence[Row], runs: int) -> str:
    """The results as a Markdown table."""
    out = [
        "| notes | vault | scan | min (s) | median (s) | median CPU (s)"
        " | max process RSS (MB) | peak total PSS (MB) | target | met |",
        "|---:|---:|---|---:|---:|---:|---:|---:|---|:---:|",
    ]
    for row in rows:
        target = row.time_target()
        goal = f"< {target:g} s, < {RSS_TARGET_MB:g} MB" if target else f"< {RSS_TARGET_MB:g} MB"
        out.append(
            f"| {row.notes:,} | {row.vault_mb:.0f} MB | {row.kind} ×{runs} | {row.min_s:.3f}"
            f" | {row.median_s:.3f} | {row.median_cpu_s:.3f} | {row.peak_mb:.0f}"
            f" | {'–' if row.total_mb is None else f'{row.total_mb:.0f}'} | {goal}"
            f" | {'✅' if row.met() else '❌'} |"
        )
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, nargs="+", default=[1000, 10_000], help="vault sizes")
    parser.add_argument("--runs", type=int, default=3, help="runs of each kind (default 3)")
    parser.add_argument("--seed", type=int, default=0, help="vault seed (default 0)")
    parser.add_argument("--keep", action="store_true", help="keep the scan databases")
    parser.add_argument(
        "--layouts",
        choices=("mixed", "seed"),
        default="mixed",
        help="mixed: about 30%% of notes in the other Cornell layouts (default); "
        "seed: all in the seed's layout, to compare the per-note cost with earlier runs",
    )
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be >= 1")
    if not hasattr(os, "wait4"):
        parser.error("needs os.wait4 (Linux or macOS)")

    rows: list[Row] = []
    try:
        for notes in args.notes:
            rows += bench(notes, args.seed, args.runs, args.keep, args.layouts)
    except BenchError as exc:
        print(f"bench_scan: {exc}", file=sys.stderr)
        return 2

    print(
        f"`quiz scan` on {platform.python_implementation()} {platform.python_version()},"
        f" {platform.system()} {platform.machine()}, {os.cpu_count()} CPUs"
        f" (median of {args.runs}; cold = fresh DB, warm = unchanged vault)\n"
    )
    print(table(rows, args.runs))
    if args.keep:
        print(f"\ndatabases kept in {(OUT / 'db').relative_to(REPO)}/")
    return 1 if args.check and not all(row.met() for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
