"""A transient progress bar on standard error while a run reads many claim files, on a terminal only.

It appears once reading has taken DELAY seconds (a cold run over thousands of files; most runs end sooner
and never show it), is redrawn at most ten times a second, and is erased when the reading ends. It is drawn
on the terminal itself, never into the captured output that the output cache keeps, and only when standard
error is a terminal: a pipe, a file or a CI log never sees it. Drawn by hand (no refresh thread), so that the
forks of a run (parallel.py) never copy a thread.
"""

from __future__ import annotations

import os
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress, TaskID

DELAY = 1.0  # seconds of reading before the bar is shown
REDRAW = 0.1  # seconds between redraws


class FileProgress:
    """Told how far the reading is (`advance`) and when it ended (`finish`): see dataset.ReadProgress."""

    def __init__(self, console: Console, delay: float = DELAY) -> None:
        self._console = console
        self._due = time.monotonic() + delay
        self._bar: Progress | None = None
        self._task: TaskID | None = None
        self._pid = os.getpid()

    def advance(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now < self._due:  # the whole cost per file while the bar is not due: one clock reading
            return
        self._due = now + REDRAW
        if os.getpid() != self._pid:  # a forked child reading its share draws nothing
            return
        if self._bar is None:
            from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn

            self._bar = Progress(TextColumn("reading {task.total:,.0f} claim files"), BarColumn(),
                                 TaskProgressColumn(), console=self._console,
                                 auto_refresh=False, transient=True, redirect_stdout=False, redirect_stderr=False)
            self._bar.start()
            self._task = self._bar.add_task("read", total=total)
        assert self._task is not None
        self._bar.update(self._task, completed=done, total=total)
        self._bar.refresh()

    def finish(self) -> None:
        if self._bar is not None and os.getpid() == self._pid:
            self._bar.stop()  # transient: the bar's lines are erased, the cursor shown again
        self._bar = None


def file_progress() -> FileProgress | None:
    """A progress bar for this run's reading, when standard error is a terminal that can draw one."""
    from rich.console import Console

    console = Console(stderr=True)
    if not console.is_terminal or console.is_dumb_terminal:
        return None
    delay = os.environ.get("CLAIMTRACK_PROGRESS_DELAY")
    try:
        return FileProgress(console, float(delay) if delay else DELAY)
    except ValueError:
        return FileProgress(console)
