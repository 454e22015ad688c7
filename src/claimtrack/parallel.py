"""Spread independent work over a second process: reading thousands of files on a cold run, and writing
the cache while the output is rendered.

A forked child does the second part of the items and sends its results back through a pipe as one pickle
while the parent does the first; the child's pickling overlaps the parent's unpickling. Anything that
goes wrong in the child (a crash, a kill, a result that cannot be pickled) only means the parent does its
share itself: the answer never depends on whether the fork worked.
"""

from __future__ import annotations

import contextlib
import os
import pickle
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

# Below this many items a fork (and pickling the results back) costs more than the second core saves.
MIN_ITEMS = 1000


def _can_fork() -> bool:
    return hasattr(os, "fork") and (os.cpu_count() or 1) >= 2 and not os.environ.get("CLAIMTRACK_NO_FORK")


def map_in_two(func: Callable[[Item], Result], items: Sequence[Item], split: int | None = None,
               pack: Callable[[Sequence[Item], list[Result]], Any] | None = None,
               unpack: Callable[[Sequence[Item], Any], list[Result]] | None = None,
               progress: Callable[[int, int], None] | None = None) -> list[Result]:
    """[func(item) for item in items], in two processes when there are enough items and cores: this one does
    items[:split] (half by default), a forked child the rest. The child sends its results back as they are,
    or as `pack(its items, its results)`, which `unpack(its items, what it sent)` turns back into results.
    `progress(done, total)` is told after each item this process does, its share scaled to the whole."""
    if len(items) < MIN_ITEMS or not _can_fork():
        return _mapped(func, items, progress, len(items))
    split = len(items) // 2 if split is None else split
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns, never runs the parent's exit handlers or flushes its buffers
        status = 1
        try:
            os.close(read_end)
            results = [func(item) for item in items[split:]]
            with os.fdopen(write_end, "wb") as pipe:
                pickle.dump(pack(items[split:], results) if pack else results, pipe, protocol=pickle.HIGHEST_PROTOCOL)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    theirs: list[Result] | None = None
    try:
        with os.fdopen(read_end, "rb") as pipe:
            mine = _mapped(func, items[:split], progress, len(items))
            try:
                sent = pickle.load(pipe)  # noqa: S301 — our own forked child's results, through a pipe only it holds
                theirs = unpack(items[split:], sent) if unpack else sent
            except Exception:  # noqa: BLE001 — a child that died mid-way: do its share here
                theirs = None
    finally:
        _, status = os.waitpid(pid, 0)
    if theirs is None or status != 0 or len(theirs) != len(items) - split:
        theirs = [func(item) for item in items[split:]]
    return mine + theirs


def _mapped(func: Callable[[Item], Result], items: Sequence[Item], progress: Callable[[int, int], None] | None,
            total: int) -> list[Result]:
    if progress is None:
        return [func(item) for item in items]
    results = []
    share = len(items)
    for done, item in enumerate(items, 1):
        results.append(func(item))
        progress(done * total // share, total)
    return results


_background: list[int] = []  # children still doing work this process handed them


def in_background(work: Callable[[], object], worth_a_fork: bool = True) -> None:
    """Run `work` in a forked child while this process goes on; `finish_background` waits for it. Only for
    work whose effects are files (the child's memory is its own) and whose failure costs nothing but speed:
    where a fork is not worth it or not possible, `work` runs here and now."""
    if not worth_a_fork or not _can_fork():
        work()
        return
    pid = os.fork()
    if pid == 0:  # as in map_in_two: never returns, and exits without flushing the parent's buffers
        status = 1
        try:
            work()
            status = 0
        finally:
            os._exit(status)
    _background.append(pid)


def finish_background() -> None:
    """Wait for every child `in_background` started: the files they write are complete when this returns."""
    while _background:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(_background.pop(), 0)
