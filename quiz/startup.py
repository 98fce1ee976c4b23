"""The cyclic garbage collector's pause while quiz starts.

Start-up makes some 10^5 objects that live as long as the process (modules,
classes, styles, the first screen). Collecting while they are made finds
almost nothing, and its passes over them cost about 80 ms before the app's
first paint. So ``quiz`` starts with the collector off; the app turns it
back on once Today is on screen, every other command as soon as its
arguments are read.
"""

from __future__ import annotations

import gc


def pause_collector() -> None:
    """Turn the collector off until ``collect_again``."""
    gc.disable()


def collect_again() -> None:
    """Turn the collector back on after start-up.

    What start-up made is moved out of the collector's sight first
    (``gc.freeze``): it lives until the process ends, and later passes need
    not walk it. Does nothing when the collector is on already (as when tests
    run the app without the command line).
    """
    if not gc.isenabled():
        gc.freeze()
        gc.enable()
