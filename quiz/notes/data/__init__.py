"""Data files of :mod:`quiz.notes` (built by the scripts next to them)."""
