"""Spread independent work over a second process: reading thousands of files on a cold run.

A forked child does the second half of the items and sends its results back through a pipe as one pickle
while the parent does the first half; the child's pickling overlaps the parent's unpickling. Anything that
goes wrong in the child (a crash, a kill, a result that cannot be pickled) only means the parent does that
half itself: the answer never depends on whether the fork worked.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable, Sequence
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

# Below this many items a fork (and pickling the results back) costs more than the second core saves.
MIN_ITEMS = 1000


def map_in_two(func: Callable[[Item], Result], items: Sequence[Item]) -> list[Result]:
    """[func(item) for item in items], in two processes when there are enough items and cores."""
    if len(items) < MIN_ITEMS or not hasattr(os, "fork") or (os.cpu_count() or 1) < 2 or os.environ.get(
            "CLAIMTRACK_NO_FORK"):
        return [func(item) for item in items]
    half = len(items) // 2
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns, never runs the parent's exit handlers or flushes its buffers
        status = 1
        try:
            os.close(read_end)
            with os.fdopen(write_end, "wb") as pipe:
                pickle.dump([func(item) for item in items[half:]], pipe, protocol=pickle.HIGHEST_PROTOCOL)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    theirs: list[Result] | None = None
    try:
        with os.fdopen(read_end, "rb") as pipe:
            mine = [func(item) for item in items[:half]]
            try:
                theirs = pickle.load(pipe)
            except Exception:  # noqa: BLE001 — a child that died mid-way: do its half here
                theirs = None
    finally:
        _, status = os.waitpid(pid, 0)
    if theirs is None or status != 0 or len(theirs) != len(items) - half:
        theirs = [func(item) for item in items[half:]]
    return mine + theirs
