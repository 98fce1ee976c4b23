"""The one clock: what time and what day it is.

Commands decide the day once (``quiz.cli.main``) and pass it down; sessions
take a ``Clock`` so tests can set the time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

Clock = Callable[[], dt.datetime]


def utc_now() -> dt.datetime:
    """The real clock, timezone-aware."""
    return dt.datetime.now(dt.UTC)


def local_today() -> dt.date:
    """The learner's day, by the local calendar."""
    return dt.date.today()
