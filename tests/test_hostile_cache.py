"""The cache under attack (issue 19, class 5), through the installed command: a cache folder that others can
write — a shared CLAIMTRACK_CACHE_DIR, a restored CI cache — must never run code, overwrite a file outside
it, hang, crash or show another answer than the files give. Each test fails on the cache of commit d74bf1e
(plain pickles, predictable temporary names, files 0644, FIFOs opened blocking, no checksums).
"""

from __future__ import annotations

import os
import pickle
import stat
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

import claimtrack.cache as cache_module
from tests.conftest import ClaimsFactory, source

FILES = {
    "a.yaml": source("a", 'topic: border-length\nvalue: "1,344 km"\nquote: q'),
    "b.yaml": source("b", 'topic: border-length\nvalue: "1,374 km"\nquote: q'),
}
ROOT_ONLY = pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to chown")


def _run(folder: Path, cache: Path, *args: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CLAIMTRACK_CACHE_DIR": str(cache), "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "claimtrack", *args, "--dir", str(folder)], cwd=folder.parent,
                          capture_output=True, text=True, timeout=timeout, env=env, check=False)


def _cache_files(cache: Path) -> list[Path]:
    return sorted(path for path in cache.rglob("*.pickle"))


class _Payload:
    """Unpickling this runs a command: the oldest trick against a pickle someone else can write."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return os.system, (f"touch {self.marker}",)


def _framed(value: object) -> bytes:
    """`value` pickled inside a well-formed cache file, checksum and all: what an attacker who read the code
    would plant."""
    blob = pickle.dumps(value)
    magic = b"claimtrack cache\0" + cache_module.FORMAT.to_bytes(2, "big")
    return magic + struct.pack(">qQI", -1, len(blob), zlib.crc32(blob)) + blob


@pytest.fixture
def warm(make_claims: ClaimsFactory, tmp_path: Path) -> tuple[Path, Path, str]:
    """A claims folder, its cache (filled by one run) and the output that run gave."""
    folder = make_claims(files=FILES)
    cache = tmp_path / "cache"
    first = _run(folder, cache, "conflicts")
    assert "1,374 km" in first.stdout, first.stdout + first.stderr
    assert _cache_files(cache)
    return folder, cache, first.stdout


@pytest.mark.parametrize("framing", ["plain pickle", "framed like a cache file"])
def test_a_planted_pickle_runs_no_code(warm: tuple[Path, Path, str], tmp_path: Path, framing: str) -> None:
    folder, cache, expected = warm
    marker = tmp_path / "pwned"
    payload = _Payload(marker)
    for path in _cache_files(cache):
        path.write_bytes(pickle.dumps(payload) if framing == "plain pickle" else _framed(payload))
    done = _run(folder, cache, "conflicts")
    assert not marker.exists(), "a cache file ran code"
    assert done.stdout == expected and "Traceback" not in done.stderr and "internal error" not in done.stderr


def test_cache_folders_and_files_are_private(warm: tuple[Path, Path, str]) -> None:
    _, cache, _ = warm
    for path in [cache, *cache.rglob("*")]:
        mode = stat.S_IMODE(path.lstat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), f"{path}: {mode:04o}"


def test_an_older_open_cache_folder_is_made_private(warm: tuple[Path, Path, str]) -> None:
    folder, cache, expected = warm
    (leaf,) = [path for path in cache.iterdir() if path.is_dir()]
    leaf.chmod(0o777)
    assert _run(folder, cache, "conflicts").stdout == expected
    assert stat.S_IMODE(leaf.stat().st_mode) == 0o700


def test_a_link_planted_in_the_cache_is_never_written_through(warm: tuple[Path, Path, str], tmp_path: Path) -> None:
    folder, cache, expected = warm
    outside = tmp_path / "precious.txt"
    outside.write_text("keep me\n")
    (leaf,) = [path for path in cache.iterdir() if path.is_dir()]
    targets = _cache_files(cache)
    for path in targets:
        path.unlink()
        path.symlink_to(outside)
    # and at the names an older claimtrack wrote its temporary files under (.NAME.PID.tmp), for the next pids
    for pid in range(os.getpid(), os.getpid() + 200):
        for name in {path.name for path in targets}:
            (leaf / f".{name}.{pid}.tmp").symlink_to(outside)
    done = _run(folder, cache, "conflicts")
    assert done.stdout == expected
    assert outside.read_text() == "keep me\n"
    assert "is a symlink; it is not used" in done.stderr  # said once per file, not silently skipped


def test_a_fifo_in_the_cache_does_not_hang(warm: tuple[Path, Path, str]) -> None:
    folder, cache, expected = warm
    for path in _cache_files(cache):
        path.unlink()
        os.mkfifo(path)
    done = _run(folder, cache, "conflicts", timeout=20)
    assert done.stdout == expected
    assert "is not a regular file" in done.stderr


def test_every_corrupted_byte_of_a_cache_file_is_no_cache(warm: tuple[Path, Path, str]) -> None:
    folder, cache, expected = warm
    for path in _cache_files(cache):
        original = path.read_bytes()
        for position in range(0, len(original), max(1, len(original) // 6)):
            damaged = bytearray(original)
            damaged[position] ^= 0xFF
            path.write_bytes(bytes(damaged))
            done = _run(folder, cache, "conflicts")
            assert done.stdout == expected, f"{path.name} byte {position}: {done.stdout}{done.stderr}"
            assert "internal error" not in done.stderr and "Traceback" not in done.stderr
            path.write_bytes(original)


def test_a_cache_file_others_may_write_is_not_used(warm: tuple[Path, Path, str]) -> None:
    folder, cache, expected = warm
    (folder / "b.yaml").write_text(FILES["b.yaml"].replace("1,374", "1,344"))  # no conflict any more
    agreed = _run(folder, cache, "conflicts")
    assert "1,374 km" not in agreed.stdout
    (folder / "b.yaml").write_text(FILES["b.yaml"])
    outputs = [path for path in _cache_files(cache) if path.name.startswith("out-")]
    stale = {path: path.read_bytes() for path in outputs}
    # someone who may write the files puts the "no conflict" answer in place of the other
    (agreed_file,) = [path for path in outputs if path.stat().st_mtime == max(p.stat().st_mtime for p in outputs)]
    for path in outputs:
        path.write_bytes(stale[agreed_file])
        path.chmod(0o666)
    done = _run(folder, cache, "conflicts")
    assert done.stdout == expected
    assert "may be written by others" in done.stderr


@ROOT_ONLY
def test_a_cache_of_another_user_is_not_used(warm: tuple[Path, Path, str]) -> None:
    folder, cache, expected = warm
    (leaf,) = [path for path in cache.iterdir() if path.is_dir()]
    os.chown(leaf, 4321, 4321)
    done = _run(folder, cache, "conflicts")
    assert done.stdout == expected
    assert "belongs to another user (uid 4321)" in done.stderr
    assert done.stderr.count("belongs to another user") == 1  # once per run, not once per file


def test_every_class_the_cache_writes_may_be_read_back(make_claims: ClaimsFactory, tmp_path: Path) -> None:
    """The unpickler's allow-list is complete: a class missing from it would silently turn the cache off."""
    folder = make_claims(files={
        **FILES,
        "c.yaml": source("c", 'topic: event-date\nvalue: "March 2024"\nquote: q', 'topic: capital\nvalue: Dushanbe\n'
                         'quote: q', 'topic: nope\nvalue: "1"\nquote: q'),  # a problem (unknown topic) too
    })
    (folder / "topics.yaml").write_text((folder / "topics.yaml").read_text() + "    approx: 5%\n")
    cache = tmp_path / "cache"
    for command in ("check", "conflicts", "topics"):
        _run(folder, cache, command)
    seen: set[tuple[str, str]] = set()

    class Recording(pickle.Unpickler):
        def find_class(self, module: str, name: str, /) -> object:
            seen.add((module, name))
            return super().find_class(module, name)

    import io

    for path in _cache_files(cache):
        data = path.read_bytes()
        at = len(b"claimtrack cache\0") + 2
        while at < len(data):
            _, length, _ = struct.unpack_from(">qQI", data, at)
            at += struct.calcsize(">qQI")
            Recording(io.BytesIO(data[at:at + length])).load()
            at += length
    assert ("claimtrack.dataset", "Claim") in seen and ("claimtrack.errors", "Problem") in seen
    assert seen <= cache_module._RECORDS, seen - cache_module._RECORDS
