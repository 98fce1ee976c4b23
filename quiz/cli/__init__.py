"""The command line: ``quiz`` and its commands (``quiz.cli.main`` is the entry point)."""

from quiz.cli.main import main

__all__ = ["main"]
