"""What every screen of the app shares."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.screen import Screen

if TYPE_CHECKING:
    from quiz.tui.app import QuizApp


class AppScreen(Screen[None]):
    """A screen of ``QuizApp``, with typed access to the app's store and settings."""

    @property
    def quiz_app(self) -> QuizApp:
        """The running app (the store, the vault, today, the queue)."""
        # Not imported here: the app imports every screen (no import cycle).
        return cast("QuizApp", self.app)
