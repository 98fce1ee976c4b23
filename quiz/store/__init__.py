"""The review store: SQLite through sqlite-utils. ``schema`` owns the tables."""

from quiz.store.schema import SCHEMA_VERSION, default_db_path, open_db

__all__ = ["SCHEMA_VERSION", "default_db_path", "open_db"]
