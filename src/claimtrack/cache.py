"""Cache: what earlier runs worked out, kept in the user's cache directory and never trusted over the files.

Two layers, both keyed on each file's path, size, mtime and content hash, and on claimtrack's version:
- per source file, the file as read and interpreted (its source, claims and problems), valid while the
  file and the topic registry are unchanged, so a changed file costs the work of that file only;
- per command, its whole output, valid while no file it read has changed: an unchanged folder answers
  at once.
A file whose size or mtime changed is hashed; only a different hash makes an entry stale. Unreadable or
corrupt cache files are ignored (and rewritten). CLAIMTRACK_CACHE_DIR moves the cache; CLAIMTRACK_NO_CACHE=1
turns it off.

The cache is private and is not trusted: folders are made 0700 and files 0600; a cache folder or file that
is a symlink, not ours, or writable by others is not used (with a warning, as ssh treats its keys); files are
opened without following links or blocking; each record carries a checksum; and records are unpickled by
an unpickler that builds only claimtrack's own record classes, so a planted file cannot run code.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import io
import os
import pickle
import stat
import struct
import sys
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, TypeVar

from claimtrack import __version__
from claimtrack.parallel import MIN_ITEMS, in_background

if TYPE_CHECKING:
    from claimtrack.dataset import SourceFile

Value = TypeVar("Value")
FORMAT = 9  # bump when what is pickled changes shape
# a file modified (or its inode changed) this close to the cache's own write is hashed even when its stat agrees
RACY_SECONDS = 2.0
ABSENT = -1  # the size in the Stamp of a file that was missing when the entry was made


@lru_cache(maxsize=1)
def code_stamp() -> str:
    """The code a cache entry was worked out by: claimtrack's version, the cache format, Python's version,
    the size and mtime of each of claimtrack's source files and of rich (which draws the cached tables). An
    entry written by other code — an edited checkout, an upgrade that kept the version number — is not used."""
    package = Path(__file__).parent
    parts = [__version__, str(FORMAT), sys.version]
    spec = importlib.util.find_spec("rich")
    sources = sorted(package.rglob("*.py"))
    if spec is not None and spec.origin:
        sources.append(Path(spec.origin))
    for path in sources:
        with contextlib.suppress(OSError):
            info = path.stat()
            parts.append(f"{path}:{info.st_size}:{info.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode("utf-8", "surrogateescape")).hexdigest()[:20]


def cache_root() -> Path | None:
    """Where caches live, or None when caching is off."""
    if os.environ.get("CLAIMTRACK_NO_CACHE"):
        return None
    configured = os.environ.get("CLAIMTRACK_CACHE_DIR")
    if configured:
        return Path(configured)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("claimtrack", appauthor=False))


def folder_cache_dir(folder: Path) -> Path | None:
    root = cache_root()
    if root is None:
        return None
    # paths are shown relative to the working directory, and cached results hold them as shown
    where = f"{folder.resolve()}\0{Path.cwd()}"
    digest = hashlib.sha256(where.encode("utf-8", "surrogateescape")).hexdigest()[:24]
    return _private_folder(root / digest)


def _private_folder(directory: Path) -> Path | None:
    """`directory`, made if need be, when it is a real folder of this user that no one else may write;
    else None, with a warning. An older claimtrack's cache folder (0755) is made private."""
    try:
        directory.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):
            directory.mkdir(mode=0o700)
        info = os.lstat(directory)
    except OSError:
        return None  # a cache that cannot be made only costs speed
    if not stat.S_ISDIR(info.st_mode):
        _distrust(directory, "is not a folder (a symlink or a file)")
        return None
    if info.st_uid != os.geteuid():
        _distrust(directory, f"belongs to another user (uid {info.st_uid})")
        return None
    if info.st_mode & 0o077:
        try:
            os.chmod(directory, 0o700)
        except OSError:
            _distrust(directory, f"is open to others (mode {stat.S_IMODE(info.st_mode):04o})")
            return None
    return directory


_WARNED: set[str] = set()


def _distrust(path: Path, why: str) -> None:
    """Say once per run that a cache file or folder is not used, and why."""
    if str(path) not in _WARNED:
        _WARNED.add(str(path))
        shown = os.fsencode(str(path)).decode("ascii", "backslashreplace")  # never a control character
        sys.stderr.write(f"warning: the cache {shown} {why}; it is not used (CLAIMTRACK_CACHE_DIR moves "
                         "the cache, CLAIMTRACK_NO_CACHE=1 turns it off)\n")


def file_hash(path: Path) -> str | None:
    """The content hash of a regular file no larger than claimtrack reads at all; None for anything else
    (a device or a pipe is never opened: opening a FIFO would block)."""
    from claimtrack.loader import MAX_FILE_BYTES, content_hash

    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_FILE_BYTES:
            return None
        with open(path, "rb") as handle:
            return content_hash(handle.read(MAX_FILE_BYTES + 1))
    except OSError:
        return None


@dataclass
class Stamp:
    """What a file was when its entry was made.

    Besides size and mtime, the inode's change time and number: an edit that keeps the size and puts the
    old mtime back (`touch -r`, a tool that preserves times, a file swapped in by rename) still changes
    them, and a user cannot set them back.
    """

    size: int
    mtime_ns: int
    digest: str | None
    ctime_ns: int = 0
    inode: int = 0

    @classmethod
    def of(cls, path: Path | str) -> Stamp | None:
        try:
            stat = os.stat(path)
        except OSError:
            return None
        return cls(stat.st_size, stat.st_mtime_ns, None, stat.st_ctime_ns, stat.st_ino)

    @classmethod
    def absent(cls) -> Stamp:
        """The stamp of a file that was not there (or could not be looked at): valid while it still is not.
        An output that says "text copy missing" depends on the copy's absence as much as on any file read."""
        return cls(ABSENT, 0, None)

    def still(self, path: Path | str, written_at: float) -> bool:
        """Is `path` still this file? Stat first; the content hash decides when the stat differs or is racy."""
        now = Stamp.of(path)
        if now is None or self.size == ABSENT:
            return now is None and self.size == ABSENT
        racy = max(now.mtime_ns, now.ctime_ns) / 1e9 >= written_at - RACY_SECONDS
        if (now.size, now.mtime_ns, now.ctime_ns, now.inode) == (self.size, self.mtime_ns, self.ctime_ns,
                                                                  self.inode) and not racy:
            return True
        if now.size != self.size:
            return False
        digest = file_hash(Path(path))
        if digest is not None and digest == self.digest:
            # same content, touched: remember the new stat
            self.mtime_ns, self.ctime_ns, self.inode = now.mtime_ns, now.ctime_ns, now.inode
            return True
        return False


# A cache file: _MAGIC, then records, each a _FRAME (part index, -1 for the header; length; CRC-32) and that
# many bytes of pickle. A torn or corrupted record fails its checksum and is simply no cache; that is also why
# cache files are not fsynced, unlike the user's own files (writer.py).
_MAGIC = b"claimtrack cache\0" + FORMAT.to_bytes(2, "big")
_FRAME = struct.Struct(">qQI")
_HEADER = -1

# What a cache file may build: claimtrack's own record classes and the plain types inside them. Unpickling
# calls whatever a file names; naming anything else (os.system, builtins.eval …) is refused, so a planted
# or damaged file cannot run code. tests/test_cache.py checks that every class the cache writes is here.
_RECORDS = frozenset({
    ("claimtrack.cache", "Stamp"), ("claimtrack.dataset", "Claim"), ("claimtrack.dataset", "Resolution"),
    ("claimtrack.dataset", "Source"), ("claimtrack.dataset", "SourceFile"), ("claimtrack.dataset", "Topic"),
    ("claimtrack.errors", "ExitCode"), ("claimtrack.errors", "Location"), ("claimtrack.errors", "Problem"),
    ("claimtrack.loader", "Positions"), ("claimtrack.loader", "_Packed"), ("claimtrack.loader", "_Scanned"),
    ("claimtrack.units", "Unit"), ("claimtrack.values", "Interval"), ("claimtrack.values", "QuantityScale"),
    ("claimtrack.values", "Widening"), ("array", "array"), ("array", "_array_reconstructor"),
    ("pathlib", "PosixPath"), ("pathlib", "WindowsPath"), ("datetime", "date"),
})


class _RecordUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str, /) -> Any:
        if (module, name) not in _RECORDS:
            raise pickle.UnpicklingError(f"{module}.{name} is not a claimtrack cache record")
        return super().find_class(module, name)


def _loads(blob: bytes) -> Any:
    return _RecordUnpickler(io.BytesIO(blob)).load()


def _open(path: Path) -> BinaryIO | None:
    """`path` to read when it is a regular file of this user that no one else may write; else None (with a
    warning for anything but a missing file). A symlink is not followed and a FIFO does not block."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        descriptor = os.open(path, flags)
    except FileNotFoundError:
        return None
    except OSError as error:
        if os.path.islink(path):
            _distrust(path, "is a symlink")
        elif not isinstance(error, PermissionError):
            _distrust(path, f"cannot be read ({error.strerror or error})")
        return None
    info = os.fstat(descriptor)
    why = None
    if not stat.S_ISREG(info.st_mode):
        why = "is not a regular file"
    elif info.st_uid != os.geteuid():
        why = f"belongs to another user (uid {info.st_uid})"
    elif info.st_mode & 0o022:
        why = f"may be written by others (mode {stat.S_IMODE(info.st_mode):04o})"
    if why is not None:
        os.close(descriptor)
        _distrust(path, why)
        return None
    return os.fdopen(descriptor, "rb")


def _frame(handle: BinaryIO) -> tuple[int, int, int] | None:
    """The next record's (index, length, checksum); None at the end of the file or a torn frame."""
    raw = handle.read(_FRAME.size)
    return _FRAME.unpack(raw) if len(raw) == _FRAME.size else None


def _checked(blob: bytes, length: int, checksum: int) -> bytes | None:
    return blob if len(blob) == length and zlib.crc32(blob) == checksum else None


def _load(path: Path) -> Any:
    """The header record of a cache file, or None for a missing, foreign, damaged or untrusted one."""
    handle = _open(path)
    if handle is None:
        return None
    try:
        with handle:
            return _load_header(handle)
    except Exception:  # noqa: BLE001 — a damaged record is simply no cache
        return None


def _save(path: Path, header: Any, parts: Iterator[tuple[int, bytes]] | None = None) -> None:
    """Write the header record and then each (index, pickled part) that `parts` yields into `path`,
    atomically: readers see the old file or the new one. The temporary file is made by mkstemp (a new,
    private file of a name no one could guess, so a link planted in the folder is never followed)."""
    import tempfile  # (only when writing: it costs start-up ~4 ms)

    try:
        descriptor, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError:
        return  # a read-only, full or vanished cache folder only costs speed
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(_MAGIC)
            for index, blob in ((_HEADER, pickle.dumps(header, protocol=pickle.HIGHEST_PROTOCOL)), *(parts or ())):
                handle.write(_FRAME.pack(index, len(blob), zlib.crc32(blob)))
                handle.write(blob)
        os.replace(name, path)
    except Exception:  # noqa: BLE001, S110 — a full cache folder, or an object pickle refuses,
        pass  # only costs speed
    finally:
        with contextlib.suppress(OSError):  # still there when it failed or was interrupted half-way
            os.unlink(name)


def _load_parts(path: Path) -> tuple[Any, tuple[int, int, int], dict[int, tuple[int, int, int]]] | None:
    """The header, the file's identity and where each part's bytes are in it (offset, length, checksum), as
    FileCache.save writes them: parts are read when needed, not held in memory (a 100,000-claim folder's
    are 45 MB)."""
    handle = _open(path)
    if handle is None:
        return None
    try:
        with handle:
            header = _load_header(handle)
            parts: dict[int, tuple[int, int, int]] = {}
            while (frame := _frame(handle)) is not None:
                index, length, checksum = frame
                parts[index] = (handle.tell(), length, checksum)
                handle.seek(length, os.SEEK_CUR)
            return header, _identity(handle), parts
    except Exception:  # noqa: BLE001 — a missing, truncated or foreign cache file is simply no cache
        return None


def _load_header(handle: BinaryIO) -> Any:
    if handle.read(len(_MAGIC)) != _MAGIC or (frame := _frame(handle)) is None or frame[0] != _HEADER:
        raise ValueError("not a claimtrack cache file")
    blob = _checked(handle.read(frame[1]), frame[1], frame[2])
    if blob is None:
        raise ValueError("damaged header")
    return _loads(blob)


def _identity(handle: BinaryIO) -> tuple[int, int, int]:
    """Which file this is: another run may have replaced it since."""
    info = os.fstat(handle.fileno())
    return info.st_ino, info.st_size, info.st_mtime_ns


CHUNKS = 64  # the file cache is kept in this many separately pickled parts


class FileCache:
    """Per-source-file results of one claims folder, and the topic registry as read, for one registry.

    Files are grouped into CHUNKS parts by a hash of their path, each part pickled on its own: writing the
    cache back after a one-file edit pickles that file's part only, while a part still shares its objects
    (key paths, intervals, strings) the way one big pickle would.
    """

    def __init__(self, store: Path, registry: str | None, saved: dict[str, Any], written_at: float,
                 stored: tuple[tuple[int, int, int], dict[int, tuple[int, int, int]]] | None = None) -> None:
        self.store = store
        self.registry = registry
        # the cache file as read, and where each part is in it: (offset, length, checksum)
        self._identity: tuple[int, int, int] | None = stored[0] if stored else None
        self.stored: dict[int, tuple[int, int, int]] = stored[1] if stored else {}
        self.topics: Any = saved.get("topics")  # what dataset._load_topics gave for this registry
        self.derived: dict[str, Any] = saved.get("derived") or {}  # see for_registry
        self.written_at = written_at
        self.chunks: dict[int, dict[str, tuple[Stamp, SourceFile]]] = {}  # the parts unpickled so far
        self.used: dict[str, tuple[Stamp, SourceFile]] = {}  # this run's files
        self.dirty: set[int] = set()  # parts holding a file read anew in this run
        self.packed: dict[int, bytes] = {}  # parts a helper process read and pickled in this run
        self.changed = False

    @classmethod
    def open(cls, folder: Path, topics_path: Path | None) -> FileCache | None:
        directory = folder_cache_dir(folder)
        if directory is None:
            return None
        registry = f"{code_stamp()}:{file_hash(topics_path) if topics_path else None}"
        store = directory / "files.pickle"
        loaded = _load_parts(store)
        if loaded is None or not isinstance(loaded[0], dict) or loaded[0].get("registry") != registry:
            return cls(store, registry, {}, time.time())
        saved, identity, stored = loaded
        return cls(store, registry, saved, float(saved.get("written_at", 0)), (identity, stored))

    def blobs(self, indexes: Iterable[int]) -> Iterator[tuple[int, bytes | None]]:
        """Parts as pickled in the cache file; None for each when the file is no longer the one read or the
        part fails its checksum."""
        handle = _open(self.store)
        if handle is None:
            yield from ((index, None) for index in indexes)
            return
        with handle:
            same = _identity(handle) == self._identity
            for index in indexes:
                where = self.stored.get(index) if same else None
                if where is None:
                    yield index, None
                    continue
                try:
                    handle.seek(where[0])
                    yield index, _checked(handle.read(where[1]), where[1], where[2])
                except OSError:
                    yield index, None

    def get(self, path: Path) -> SourceFile | None:
        """The file's entry while it is still valid."""
        key = os.path.abspath(path)
        entry = self._chunk(_chunk_of(key)).get(key)
        if entry is None or not entry[0].still(path, self.written_at):
            return None
        self.used[key] = entry
        return entry[1]

    def put(self, path: Path, stamp: Stamp | None, result: SourceFile) -> None:
        """Keep `result` under `stamp`, taken before the file was read (an edit made while it was read then
        shows up next time), and the content hash of the bytes it was read from."""
        key = os.path.abspath(path)
        if stamp is not None and result.digest is not None and self.used.get(key, (None, None))[1] is not result:
            stamp.digest = result.digest
            self.used[key] = (stamp, result)
            self.dirty.add(_chunk_of(key))

    # A cold run reads files in two processes (parallel.map_in_two). The helper takes whole parts, and sends
    # them back pickled as the cache file keeps them: they are written as they came, not pickled twice.

    def split(self, paths: list[Path]) -> tuple[list[Path], list[Path]]:
        """The files this process reads, and those a helper reads: the files of the odd parts."""
        mine: list[Path] = []
        theirs: list[Path] = []
        for path in paths:
            (theirs if _chunk_of(os.path.abspath(path)) % 2 else mine).append(path)
        return mine, theirs

    def pack(self, paths: Sequence[Path], read: list[tuple[Stamp | None, SourceFile]]) -> Any:
        """In the helper: the parts holding `paths`, pickled, and the results the cache does not keep."""
        for path, (stamp, result) in zip(paths, read, strict=True):
            self.put(path, stamp, result)
        parts = self._parts()
        indexes = sorted({_chunk_of(os.path.abspath(path)) for path in paths} & parts.keys())
        loose = {n: entry for n, entry in enumerate(read) if entry[0] is None or entry[1].digest is None}
        return [(index, pickle.dumps(parts[index], protocol=pickle.HIGHEST_PROTOCOL)) for index in indexes], loose

    def unpack(self, paths: Sequence[Path], packed: Any) -> list[tuple[Stamp | None, SourceFile]]:
        """Here: the helper's results for `paths`, out of what `pack` sent; its parts are kept as sent."""
        blobs, loose = packed
        # our own forked child's parts, through a pipe only it holds (docs/security.md)
        parts = {index: _loads(blob) for index, blob in blobs}
        read = [loose[n] if n in loose else parts[_chunk_of(key)][key]
                for n, key in enumerate(os.path.abspath(path) for path in paths)]
        for index, blob in blobs:
            self.chunks[index], self.packed[index] = parts[index], blob
        for path, entry in zip(paths, read, strict=True):
            if entry[0] is not None:
                self.used[os.path.abspath(path)] = entry
        return read

    def stamps(self) -> dict[str, Stamp]:
        """Each file's stamp, by absolute path: what this run's results were read from."""
        return {path: stamp for path, (stamp, _) in self.used.items()}

    def keep_topics(self, topics: Any) -> None:
        self.topics = topics
        self.changed = True

    def for_registry(self, name: str, compute: Callable[[], Value]) -> Value:
        """A result worked out from the topic registry alone, kept while topics.yaml (and claimtrack) are
        unchanged: the near-duplicate check compares every pair of topics."""
        if name not in self.derived:
            self.derived[name] = compute()
            self.changed = True
        return self.derived[name]  # type: ignore[no-any-return]

    def _parts(self) -> dict[int, dict[str, tuple[Stamp, SourceFile]]]:
        """This run's files by part."""
        parts: dict[int, dict[str, tuple[Stamp, SourceFile]]] = {}
        for key, entry in self.used.items():
            parts.setdefault(_chunk_of(key), {})[key] = entry
        return parts

    def save(self, background: bool = False) -> None:
        """Write back the parts that changed: a file read or located anew in this run, a file gone.

        `background`: pickle and write them in a forked child while this process goes on (a cold run
        at 100,000 claims pickles half of them here, ~0.5 s); parallel.finish_background waits for it."""
        parts = self._parts()
        dirty = set(self.dirty)
        dirty.update(index for index, part in parts.items() if any(result.located_now for _, result in part.values()))
        dirty.update(index for index, part in self.chunks.items() if part.keys() != parts.get(index, {}).keys())
        dirty.update(index for index in self.stored if index not in parts)  # every file of the part is gone
        if not dirty and not self.changed:
            return

        def written() -> Iterator[tuple[int, bytes]]:  # one part at a time: copied or pickled, written, let go
            for (index, part), (_, stored) in zip(parts.items(), self.blobs(parts), strict=True):
                kept = self.packed.get(index, stored)
                if kept is None or index in dirty:
                    kept = pickle.dumps(part, protocol=pickle.HIGHEST_PROTOCOL)
                yield index, kept

        header = {"registry": self.registry, "topics": self.topics, "derived": self.derived, "written_at": time.time()}
        in_background(lambda: _save(self.store, header, written()), background and len(self.used) >= MIN_ITEMS)
        self.chunks, self.dirty, self.changed, self._identity, self.stored = parts, set(), False, None, {}
        self.packed = {}

    def _chunk(self, index: int) -> dict[str, tuple[Stamp, SourceFile]]:
        part = self.chunks.get(index)
        if part is None:
            try:
                blob = next(self.blobs([index]))[1]
                part = _loads(blob) if blob is not None else {}
            except Exception:  # noqa: BLE001 — a damaged part is an empty one
                part = {}
            self.chunks[index] = part if isinstance(part, dict) else {}
        return self.chunks[index]


def _chunk_of(key: str) -> int:
    return zlib.crc32(key.encode("utf-8", "surrogateescape")) % CHUNKS


class OutputCache:
    """A command's whole output for an unchanged folder: (stdout, stderr, exit code)."""

    def __init__(self, folder: Path, key: str) -> None:
        directory = folder_cache_dir(folder)
        digest = hashlib.sha256(f"{code_stamp()}:{key}".encode("utf-8", "surrogateescape")).hexdigest()[:24]
        self.store = directory / f"out-{digest}.pickle" if directory else None
        self.folder = folder

    def get(self) -> tuple[bytes, bytes, int] | None:
        if self.store is None:
            return None
        saved = _load(self.store)
        try:
            if saved["listing"] != _listing(self.folder):
                return None
            written_at = float(saved["written_at"])
            if not all(stamp.still(path, written_at) for path, stamp in saved["files"].items()):
                return None
            output = saved["stdout"], saved["stderr"], saved["exit_code"]
        except Exception:  # noqa: BLE001 — not a record this version wrote: no cache
            return None
        if not (isinstance(output[0], bytes) and isinstance(output[1], bytes) and type(output[2]) is int):
            return None
        return output

    def put(self, read: list[Path], stdout: bytes, stderr: bytes, exit_code: int,
            known: Mapping[str, Stamp] | None = None) -> None:
        """Keep the output of a run that read `read`; `known` holds stamps of files whose content the run
        used (the file cache's), so that an edit made during the run is never taken for what was read."""
        if self.store is None:
            return
        known = known or {}
        files: dict[str, Stamp] = {}
        for path in read:
            absolute = os.path.abspath(path)
            stamp = known.get(absolute)
            if stamp is None:
                stamp = Stamp.of(path)
                if stamp is None:
                    stamp = Stamp.absent()  # the answer holds only while the file is still missing
                else:
                    stamp.digest = file_hash(path)
            files[absolute] = stamp
        _save(self.store, {"listing": _listing(self.folder), "files": files, "written_at": time.time(),
                           "stdout": stdout, "stderr": stderr, "exit_code": exit_code})


def _listing(folder: Path) -> tuple[str | None, list[str], list[str], list[str]]:
    """Every YAML file below the folder: a file added or removed changes the answer."""
    from claimtrack.loader import walk_folder

    return walk_folder(folder)
