"""Writing files safely: atomic replacement (temporary file, fsync, rename) and create-only writes."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def create_new(path: Path, content: str) -> bool:
    """Write `content` to `path` only if it does not exist (atomically); True if written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        return False
    os.close(descriptor)  # the name is ours now; fill it atomically so a reader never sees half a file
    write_atomic(path, content)
    return True


def write_atomic(path: Path, content: str) -> None:
    """Replace `path` with `content` so that it is always either the old or the new file, never half of one."""
    handle = tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.",
                                         suffix=".tmp", delete=False, newline="")
    try:
        with handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            os.chmod(handle.name, path.stat().st_mode & 0o7777)
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)  # make the rename itself durable
    finally:
        os.close(directory)
