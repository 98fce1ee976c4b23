"""The cyclic garbage collector's pause while quiz starts.

Start-up makes some 10^5 objects that live as long as the process (modules,
classes, styles, the first screen). Collecting while they are made finds
almost nothing, and its passes over them cost about 80 ms before the app's
first paint. So ``quiz`` starts with the collector off; the app turns it
back on once Today is on screen, every other command as soon as its
arguments are read.

The app then leaves full collections (the oldest generation) to moments
when a pause goes unseen: each walks every object the app keeps (the
index's notes, Textual's caches), 20-80 ms on 10,000 notes, and falling on
a grade key it took the key past its 50 ms. ``collect_fully`` runs one when
a Summary or Today has been painted; the young generations are collected as
usual.
"""

from __future__ import annotations

import gc

#: The collector's thresholds as quiz found them (``pause_collector``).
_found: tuple[int, int, int] | None = None


def pause_collector() -> None:
    """Turn the collector off until ``collect_again``."""
    global _found
    _found = gc.get_threshold()
    gc.disable()


def restore_collector() -> None:
    """The collector on, with the thresholds ``pause_collector`` found (when
    ``quiz.cli.main`` returns: for a caller that goes on, such as a test)."""
    collect_again()
    if _found is not None:
        gc.set_threshold(*_found)


#: A threshold for full collections that automatic collection never reaches.
_NEVER = 2**31 - 1


def collect_again() -> bool:
    """Turn the collector back on after start-up; whether it was off.

    What start-up made is moved out of the collector's sight first
    (``gc.freeze``): it lives until the process ends, and later passes need
    not walk it. Does nothing when the collector is on already (as when tests
    run the app without the command line).
    """
    if not gc.isenabled():
        gc.freeze()
        gc.enable()
        return True
    return False


def collect_fully_when_asked() -> None:
    """Leave full collections to ``collect_fully`` (the app, after start-up)."""
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, _NEVER)


def collect_fully() -> None:
    """A full collection now, where its pause goes unseen (a screen just
    painted that the learner reads before the next key)."""
    if gc.get_threshold()[2] == _NEVER:
        gc.collect()
