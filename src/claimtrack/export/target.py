"""Export stage, output side: where an export goes (a file, a folder, or standard output), checked before the
analysis runs, and written under a temporary name beside it that is renamed into place only when complete.

An interrupted or failing export (an error, ^C) removes its temporary file or folder and leaves whatever was
at the target before untouched.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from claimtrack.errors import ClaimtrackError
from claimtrack.writer import check_parent, replaced_file

Emit = Callable[[bytes], object]  # a file's write, or the console's
STDOUT = "-"


@dataclass(frozen=True)
class Target:
    """A checked destination: `path`, or standard output through `stdout` when `path` is None."""

    path: Path | None
    stdout: Emit | None = None

    @contextmanager
    def stream(self) -> Iterator[Emit]:
        """Bytes to standard output, or to the file (replaced when the writing is complete)."""
        if self.path is None:
            assert self.stdout is not None, "a standard-output target needs somewhere to write"
            yield self.stdout
            return
        with replaced_file(self.path) as temporary, temporary.open("wb") as handle:
            yield handle.write


def check_folder(output: Path, looks_exported: Callable[[Path], bool]) -> Path:
    """`output` as a folder an export may fill: new, empty, or an earlier export of the same kind (which is
    replaced as a whole); never a folder of other files, which replacing would delete."""
    check_parent(output)
    if output.is_symlink():
        raise ClaimtrackError(f"cannot write {output}: it is a symlink; give the folder itself with -o")
    if output.resolve() == Path.cwd().resolve():
        raise ClaimtrackError(f"cannot write {output}: it is the working folder; give a new folder with -o")
    if output.exists() and not output.is_dir():
        raise ClaimtrackError(f"cannot write {output}: it is a file, and this format writes a folder")
    if output.is_dir() and any(output.iterdir()) and not looks_exported(output):
        raise ClaimtrackError(f"cannot write {output}: the folder holds other files; give a new folder with -o")
    return output


