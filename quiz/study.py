"""One run of study: the index, the vault, the settings and the day, from
which the app and ``--plain`` open their sessions.

Apart from ``quiz.session`` so that the app's first screen, which holds a
``Study`` but opens no session, loads none of the session's modules
(grading, the queue, the memory model): they come with the first session.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from quiz.clock import Clock, utc_now
from quiz.config import Settings
from quiz.wording import plural

if TYPE_CHECKING:
    from sqlite_utils import Database

    from quiz.session import Drill, NoteSession


@dataclass(frozen=True, slots=True)
class Study:
    """What every session of one run shares: the index, the vault, the
    settings, the day, whether to write back, and the clock.

    The app and ``--plain`` each hold one and open their sessions from it.
    """

    db: Database
    vault: Path
    settings: Settings
    today: dt.date
    write: bool = True
    clock: Clock = utc_now

    def open(self, note_path: str, *, resume: bool = False) -> NoteSession:
        """A session over one note; raises ``SessionError``.

        ``resume``: go on with the session of this note left unfinished
        today (see ``unfinished``), if there is one.
        """
        from quiz.session import NoteSession

        return NoteSession(
            self.db,
            self.vault,
            note_path,
            self.settings,
            today=self.today,
            clock=self.clock,
            write=self.write,
            resume=resume,
        )

    def unfinished(self, note_path: str) -> Unfinished | None:
        """The session of this note left unfinished today, if any."""
        from quiz.store.resume import unfinished_session
        from quiz.vault import NotePathError, note_key

        try:
            note_path = note_key(self.vault, note_path)
        except NotePathError:
            return None  # opening it says why
        found = unfinished_session(self.db, note_path, self.today)
        if found is None:
            return None
        title = note_path.rsplit("/", 1)[-1].removesuffix(".md")
        return Unfinished(title, len({card for card, _ in found.grades}), found.cards)

    def why_no_cards(self) -> str | None:
        """Why the vault gives no card at all, for the learner; ``None`` if it gives some."""
        from quiz.store.queries import vault_counts

        notes, with_cues, cards = vault_counts(self.db)
        if cards:
            return None
        if not notes:
            return (
                f"No notes found in {self.vault}: quiz reads the Markdown (.md) files "
                "of this folder and its subfolders."
            )
        if not with_cues:
            headings = ", ".join(f"'{h}'" for h in self.settings.sections["cues"])
            return (
                f"No cue sections found in {plural(notes, 'note')}, so there are no cards. "
                f"quiz looked for the cue questions under a heading named {headings} "
                "(set [sections] cues in quiz.toml to name yours)."
            )
        return (
            f"{plural(with_cues, 'note')} with a cue section, but none of their cues is a "
            "card yet: the cue items are empty or template placeholders."
        )

    def weakest(self) -> Drill:
        """A drill of the vault's weakest cards; raises ``SessionError``."""
        from quiz.session import Drill

        return Drill.weakest(self.db, self.vault, self.settings, today=self.today, clock=self.clock)


@dataclass(frozen=True, slots=True)
class Unfinished:
    """A note's session left unfinished today: what resuming it keeps.

    Attributes:
        title: the note's title.
        graded: cards graded at least once.
        total: cards the session had.
    """

    title: str
    graded: int
    total: int
