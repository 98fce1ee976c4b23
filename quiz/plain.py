"""``quiz study --plain``: the line protocol of SPEC, for scripts and screen readers.

For each card: print the question, read one line (the typed answer, may be
empty), print the answer, read one line (the grade). End of input ends the
session cleanly; what was graded is kept. A card graded Again comes back
after the note's other cards, marked ``[again]``, until graded Hard or better.
Opening a note whose session was left unfinished today resumes it at the
first ungraded card, and says so on a line of its own first.

After the answer, a typed answer gets ``similarity: N%`` (against the
answer's key part: its bold spans, else its first line, else all of it) and
``diff (SOURCE): WORDS``, the key part's words with ``[-missing-]``,
``{+extra+}`` and ``[~typed→key~]`` (a near miss). The grade prompt gives
when the card comes back after each grade: ``grade [1 again 1m, 2 hard 6m,
3 good 10m, 4 easy 8d]> ``.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Mapping
from typing import TextIO

from quiz.grading import compare, diff_text
from quiz.schedule.memory import format_interval
from quiz.schedule.stages import Grade
from quiz.session import NoteSession, SessionError, SessionResult
from quiz.study import Study
from quiz.text import one_line, safe_text
from quiz.wording import plural, stage_review

GRADE_WORDS = {Grade.AGAIN: "again", Grade.HARD: "hard", Grade.GOOD: "good", Grade.EASY: "easy"}


def grade_prompt(intervals: Mapping[Grade, dt.timedelta]) -> str:
    """The grade prompt, each grade with when the card comes back after it:
    ``grade [1 again 10m, 2 hard 2d, 3 good 4d, 4 easy 9d]> ``."""
    keys = []
    for grade, word in GRADE_WORDS.items():
        after = f" {format_interval(intervals[grade])}" if grade in intervals else ""
        keys.append(f"{int(grade)} {word}{after}")
    return f"grade [{', '.join(keys)}]> "


class _EndOfInput(Exception):
    pass


class PlainUI:
    """Line input and output, with note text made safe for the terminal."""

    def __init__(self, stdin: TextIO, stdout: TextIO) -> None:
        self.stdin, self.stdout = stdin, stdout

    def say(self, text: str = "") -> None:
        self.stdout.write(safe_text(text) + "\n")
        self.stdout.flush()

    def ask(self, prompt: str) -> str:
        self.stdout.write(prompt)
        self.stdout.flush()
        line = self.stdin.readline()
        if not line:
            self.stdout.write("\n")
            raise _EndOfInput
        return line.rstrip("\r\n")


def _queue(study: Study, note: str | None) -> list[str]:
    if note is not None:
        return [note]
    from quiz.store.queries import due_notes

    return [d.note.path for d in due_notes(study.db, study.settings, study.today)]


def run_plain(
    study: Study,
    *,
    note: str | None = None,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
) -> int:
    """Quiz the due notes (or ``note``) line by line; exit code 0."""
    import sys

    ui = PlainUI(stdin or sys.stdin, stdout or sys.stdout)
    queue = _queue(study, note)
    if not queue:
        ui.say(
            study.why_no_cards()
            or f"Nothing is due on {study.today.isoformat()}. Practise a note with --note PATH."
        )
        return 0
    for number, path in enumerate(queue, 1):
        left = study.unfinished(path)
        try:
            session = study.open(path, resume=left is not None)
        except SessionError as exc:
            print(one_line(f"quiz: {exc}"), file=sys.stderr)
            continue
        if left is not None:
            # No question to answer: the protocol stays question, answer, grade.
            ui.say(
                f"Resuming {one_line(left.title)}, left unfinished today: the "
                f"{plural(left.graded, 'card')} graded then are kept; going on at card "
                f"{min(left.graded + 1, left.total)} of {left.total}."
            )
        place = f" · note {number} of {len(queue)}" if len(queue) > 1 else ""
        ended = _quiz(session, ui, place)
        _print_summary(session.finish(), ui)
        if ended:
            break
    return 0


def _quiz(session: NoteSession, ui: PlainUI, place: str = "") -> bool:
    """Run one note's cards; ``True`` when input ended early.

    ``place`` ends the head line in a run of several notes (`` · note 2 of 5``).
    """
    note = session.note
    state = session.stage_due
    stage = stage_review(state.stage) if state else "practice"
    ui.say(
        f"== {one_line(note.title)} ({one_line(note.subject) or 'no subject'}) · {stage} · "
        f"{len(session.cards)} cards{place}"
    )
    total = len(session.cards)
    try:
        while (card := session.current) is not None:
            # One line each, as the protocol says: a question's own line
            # break must not pass for the answer prompt's line.
            # A card missed earlier and back to relearn says so, not "6/5".
            queue = session.queue
            count = "again" if queue.relearning else f"{queue.first_pass + 1}/{total}"
            ui.say(f"[{count}] Q: {one_line(card.question)}")
            started = time.monotonic()
            typed = ui.ask("answer> ")
            ui.say("A: " + card.answer.replace("\n", "\n   "))
            if card.answer_from:
                ui.say(f"   (answer from {card.answer_from})")
            found = compare(typed, card.answer) if typed.strip() else None
            if found is not None:
                ui.say(f"similarity: {round(found.similarity * 100)}%")
                ui.say(f"diff ({found.source}): {diff_text(found)}")
            prompt = grade_prompt(session.intervals())
            while True:
                answer = ui.ask(prompt)
                try:
                    grade = Grade.parse(answer)
                except ValueError as exc:
                    ui.say(str(exc))
                    continue
                break
            session.grade(grade, typed or None, int((time.monotonic() - started) * 1000))
    except _EndOfInput:
        return True
    return False


def _print_summary(result: SessionResult, ui: PlainUI) -> None:
    ui.say("-- summary")
    for line in result.summary_lines():
        ui.say(one_line(line))
    if result.missed:
        ui.say("Missed:")
        for card in result.missed:
            ui.say(f"  - {one_line(card.question)}")
    ui.say()
