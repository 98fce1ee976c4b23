"""quiz: flashcards from the cue questions of Cornell-style Markdown notes."""

__version__ = "0.1.0"
