"""Writing files safely: atomic replacement (temporary file, fsync, rename) of a file or a whole folder,
atomic create-only writes (temporary file, fsync, hard link), and the checks a command's output target
passes before any work is done. Every file claimtrack writes is written here."""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager, suppress
from pathlib import Path

from claimtrack.errors import ESCAPE, ClaimtrackError


def write_output(path: Path, content: str) -> None:
    """Write a command's output file atomically; a target that cannot be written is a ClaimtrackError."""
    target = check_file(path)
    try:
        with replaced_file(target) as temporary:
            temporary.write_text(content, encoding="utf-8", errors=ESCAPE, newline="")
    except OSError as error:
        raise ClaimtrackError(f"cannot write {path}: {error.strerror or error}") from None


def check_file(output: Path) -> Path:
    """The file to replace for `output`: its folder exists and may be written, and it is a regular file or
    nothing yet. A symlink is followed (the file it names is replaced, the link stays); a folder, a device,
    a pipe or a socket is refused, since a rename would put a file in its place. Else ClaimtrackError."""
    target = output.resolve() if output.is_symlink() else output
    check_parent(target)
    if target.is_dir():
        raise ClaimtrackError(f"cannot write {output}: it is a folder; give a file name with -o")
    if target.exists() and not target.is_file():
        raise ClaimtrackError(f"cannot write {output}: it is not a regular file (a device, a pipe or a socket); "
                              "use -o - for standard output")
    return target


def check_parent(output: Path) -> None:
    """The folder `output` goes into exists and may be written; else ClaimtrackError."""
    parent = output.parent
    if not parent.is_dir():
        what = "is not a folder" if parent.exists() else "does not exist"
        raise ClaimtrackError(f"cannot write {output}: {parent} {what}")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ClaimtrackError(f"cannot write {output}: the folder {parent} is not writable")


def create_new(path: Path, content: str | bytes) -> bool:
    """Create `path` holding `content`, only if nothing is there (no file, folder or symlink, dangling or not);
    True if written. The content goes to a temporary file beside it first (written, fsynced, given the mode a
    new file gets), which is then hard-linked to `path` — a link, like O_EXCL, fails if the name exists — so
    a reader, a crash or a full disk finds either no file or the whole one, never an empty or half one.
    On a file system without hard links the name is claimed with O_EXCL and the temporary renamed over it."""
    if os.path.lexists(path):  # checked again, atomically, by the link
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    with _temporary(path) as temporary:
        _write(temporary, content)
        _settle(temporary, path)
        try:
            os.link(temporary, path)
        except FileExistsError:
            return False
        except OSError as error:
            if error.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK, errno.EXDEV):
                raise
            try:
                os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600))
            except FileExistsError:
                return False
            os.replace(temporary, path)
    _sync_folder(path.parent)
    return True


def write_atomic(path: Path, content: str | bytes) -> None:
    """Replace `path` with `content` so that it is always either the old or the new file, never half of one."""
    with replaced_file(path) as temporary:
        _write(temporary, content)


class PartlyReplaced(Exception):
    """write_atomic_many replaced some files (`replaced`, in order) and then could not replace `failed`."""

    def __init__(self, replaced: list[Path], failed: Path, error: OSError) -> None:
        super().__init__(f"{failed}: {error}")
        self.replaced = replaced
        self.failed = failed
        self.error = error


def write_atomic_many(contents: list[tuple[Path, bytes]]) -> None:
    """Replace several files, in the order given, as nearly at once as a file system allows: every new content
    is first written to a temporary file beside its file, given that file's mode and fsynced; only then is each
    renamed over its file (and the folders fsynced). A failure while writing (a full disk, a quota, a read-only
    folder) is an OSError and replaces none of them. A rename that fails (rare: a folder changed meanwhile)
    raises PartlyReplaced naming the files already replaced; a kill or a crash during the renames leaves the
    files before it new and the rest old, each of them whole."""
    with ExitStack() as stack:
        pending = []
        for path, content in contents:
            temporary = stack.enter_context(_temporary(path))
            _write(temporary, content)
            _settle(temporary, path)
            pending.append((temporary, path))
        replaced: list[Path] = []
        try:
            for temporary, path in pending:
                try:
                    os.replace(temporary, path)
                except OSError as error:
                    raise PartlyReplaced(list(replaced), path, error) from None
                replaced.append(path)
        finally:
            for folder in dict.fromkeys(path.parent for path in replaced):
                with suppress(OSError):
                    _sync_folder(folder)


def _write(path: Path, content: str | bytes) -> None:
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8", newline="")
    else:
        path.write_bytes(content)


@contextmanager
def _temporary(path: Path) -> Iterator[Path]:
    """A private temporary file beside `path`, removed when the block ends (whatever became of its content)."""
    descriptor, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name[:40]}.", suffix=".tmp")
    os.close(descriptor)
    temporary = Path(name)
    try:
        yield temporary
    finally:
        temporary.unlink(missing_ok=True)


@contextmanager
def replaced_file(path: Path) -> Iterator[Path]:
    """A temporary file beside `path` to write; it replaces `path` when the block ends without an error and is
    removed when it ends with one."""
    descriptor, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name[:40]}.", suffix=".tmp")
    os.close(descriptor)
    temporary = Path(name)
    try:
        yield temporary
        _settle(temporary, path)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)


@contextmanager
def replaced_folder(path: Path, replaceable: Callable[[Path], bool]) -> Iterator[Path]:
    """A temporary folder beside `path` to fill; it takes the place of `path` when the block ends without an
    error, and is removed when it ends with one. What is at `path` is replaced only if `replaceable` still
    says so at that moment (it was checked before the work began; files may have arrived since)."""
    temporary = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name[:40]}.", suffix=".tmp"))
    try:
        yield temporary
        _settle(temporary, path)
        for child in temporary.iterdir():
            _fsync(child)
        if path.exists() and (path.is_symlink() or not path.is_dir() or not replaceable(path)):
            raise ClaimtrackError(f"cannot write {path}: it now holds other files; nothing was replaced")
        if path.exists():
            old = temporary.with_name(temporary.name[:-len(".tmp")] + ".old")
            os.replace(path, old)  # two renames: the target is briefly absent, but never half-written
            try:
                os.replace(temporary, path)
            except BaseException:
                os.replace(old, path)
                raise
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(temporary, path)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    _sync_folder(path.parent)


def _settle(temporary: Path, path: Path) -> None:
    """Give the finished temporary the permissions the target would have had (mkstemp makes it private): an
    existing file's mode, and its owner and group where this process may set them."""
    if path.exists():
        info = path.stat()
        mode = info.st_mode & 0o7777
        if hasattr(os, "chown") and (info.st_uid, info.st_gid) != (os.getuid(), os.getgid()):
            try:
                os.chown(temporary, info.st_uid, info.st_gid)
            except OSError:  # another owner needs privileges; the group, membership of it
                with suppress(OSError):
                    os.chown(temporary, -1, info.st_gid)
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = (0o777 if temporary.is_dir() else 0o666) & ~umask
    os.chmod(temporary, mode)
    if temporary.is_file():
        _fsync(temporary)


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable."""
    _fsync(folder)
