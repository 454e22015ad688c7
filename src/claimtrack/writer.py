"""Writing files safely: atomic replacement (temporary file, fsync, rename) and create-only writes."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_output(path: Path, content: str) -> None:
    """Write a command's output file atomically; a target that cannot be written is a ClaimtrackError."""
    from claimtrack.errors import ClaimtrackError

    if path.is_dir():
        raise ClaimtrackError(f"cannot write {path}: it is a folder; give a file name")
    if not path.parent.is_dir():
        raise ClaimtrackError(f"cannot write {path}: no folder {path.parent}")
    try:
        write_atomic(path, content)
    except OSError as error:
        raise ClaimtrackError(f"cannot write {path}: {error.strerror or error}") from None


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
    # Opened outside a `with` so that the cleanup below knows its name; `with handle:` closes it.
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 — see above
        "w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False, newline="")
    try:
        with handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            os.chmod(handle.name, path.stat().st_mode & 0o7777)
        else:  # a new file gets the mode any new file gets here (the temporary file is private)
            os.chmod(handle.name, 0o666 & ~_umask())
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)  # make the rename itself durable
    finally:
        os.close(directory)


def _umask() -> int:
    mask = os.umask(0o022)  # reading the umask means setting it: put it straight back
    os.umask(mask)
    return mask
