"""The adversarial corpus (tests/adversarial/<case>/claims/) through the installed command, as a user runs it.

Each hostile case must end with exit code 1 (or 2), quickly, naming the file (and the line where there is
one) with the problem's code and no Python traceback. The odd-but-valid cases (BOMs, UTF-16, CRLF, tabs
inside quotes) must load normally (exit 0). Cases that need the file system to misbehave (a 50 MB file, a
symlink out of the folder, an unreadable file) are built in tmp_path at test time, never committed.

Every case runs on a copy of its folder in tmp_path, with the working directory there, so that paths show as
`claims/FILE` and nothing a case might do lands in the repository. Wall times are asserted below 5 s to stay
robust on slow CI; docs/reliability.md gives the measured numbers (about 0.3–0.5 s each).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from claimtrack.loader import MAX_FILE_BYTES

CORPUS = Path(__file__).parent / "adversarial"
LIMIT_SECONDS = 5.0



@pytest.fixture(autouse=True, scope="module")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The cache of every command run here goes to a folder of this module's own (subprocesses inherit it)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CLAIMTRACK_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        yield

def _copy(case: str, tmp_path: Path) -> Path:
    """The case's claims folder copied into tmp_path (symlinks kept as links); returns tmp_path."""
    shutil.copytree(CORPUS / case / "claims", tmp_path / "claims", symlinks=True)
    return tmp_path


def run_check(cwd: Path, *extra: str) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "claimtrack", "check", "--dir", "claims", *extra], cwd=cwd,
                          capture_output=True, text=True, timeout=60, env={**os.environ, "NO_COLOR": "1"})
    return done, time.perf_counter() - started


def assert_reported(done: subprocess.CompletedProcess[str], took: float, expected: list[tuple[str, int | None, str]],
                    exit_code: int = 1) -> None:
    """Each (file, line or None, code) is reported as `claims/FILE:LINE:COL: error: … [code]`; no traceback."""
    output = done.stdout + done.stderr
    assert "Traceback" not in output and "internal error" not in output, output
    assert done.returncode == exit_code, output
    assert took < LIMIT_SECONDS, f"took {took:.2f} s"
    lines = output.splitlines()
    for name, line, code in expected:
        prefix = f"claims/{name}:{line}:" if line is not None else f"claims/{name}: error:"
        found = [row for row in lines if row.startswith(prefix) and row.endswith(f"[{code}]")]
        assert found, f"no '{prefix} … [{code}]' in:\n{output}"
        message = found[0].split(" error: ", 1)[1]
        assert len(message) > len(f"[{code}]") + 10, f"no clear message: {found[0]}"


# --------------------------------------------------------------------------- hostile input: exit 1, located

HOSTILE: dict[str, list[tuple[str, int | None, str]]] = {
    # case: [(file, line or None for a whole-file problem, code)]
    "yaml-syntax": [("broken.yaml", 7, "yaml-syntax")],
    "yaml-tag": [("evil.yaml", 3, "yaml-tag")],
    "alias-bomb": [("laughs.yaml", 6, "yaml-alias")],
    "deep-nesting": [("deep.yaml", 2, "too-deep"), ("deep-block.yaml", 65, "too-deep")],
    "non-utf8": [("latin1.yaml", 3, "not-utf8"), ("nul.yaml", 7, "not-utf8")],
    "duplicate-keys": [("dup.yaml", 4, "duplicate-key"), ("dup.yaml", 8, "duplicate-key")],
    "nan-inf": [("nan.yaml", 6, "invalid-value"), ("nan.yaml", 9, "invalid-value"), ("nan.yaml", 12, "invalid-value"),
                ("nan.yaml", 15, "invalid-value")],
    "empty-file": [("empty.yaml", 1, "invalid-type")],
    "empty-topics": [("topics.yaml", 1, "missing-key")],
    "missing-topics": [("topics.yaml", None, "missing-topics")],
    "broken-topics": [("topics.yaml", 4, "yaml-syntax")],
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_case_is_reported(case: str, tmp_path: Path) -> None:
    done, took = run_check(_copy(case, tmp_path))
    assert_reported(done, took, HOSTILE[case])


def test_tags_never_build_objects(tmp_path: Path) -> None:
    """`!!python/object/apply:os.system ["touch PWNED"]` is refused, and nothing runs."""
    cwd = _copy("yaml-tag", tmp_path)
    done, took = run_check(cwd)
    assert_reported(done, took, HOSTILE["yaml-tag"])
    assert not (cwd / "PWNED").exists() and not (cwd / "PWNED2").exists()
    assert not (cwd / "claims" / "PWNED").exists()


def test_compact_nesting_is_refused(tmp_path: Path) -> None:
    cwd = _copy("deep-nesting", tmp_path)
    for path in (cwd / "claims").glob("deep*.yaml"):
        path.unlink()
    (cwd / "claims" / "compact.yaml").write_text("source: {title: compact}\nclaims:\n  " + "- " * 20000 + "x\n",
                                                encoding="utf-8")
    done, took = run_check(cwd)
    assert_reported(done, took, [("compact.yaml", 3, "too-deep")])


def test_huge_number_is_reported(tmp_path: Path) -> None:
    done, took = run_check(_copy("huge-number", tmp_path))
    assert_reported(done, took, [("huge.yaml", 9, "invalid-value")])


def test_file_above_the_size_limit_is_refused(tmp_path: Path) -> None:
    """A 50 MB claim file is refused by size (loader.MAX_FILE_BYTES) without being parsed."""
    cwd = _copy("yaml-syntax", tmp_path)
    (cwd / "claims" / "broken.yaml").unlink()
    line = b"  - {topic: border-length, value: '1,344 km', quote: the border}\n"
    with open(cwd / "claims" / "big.yaml", "wb") as handle:
        handle.write(b"source: {title: Big}\nclaims:\n")
        block = line * 16384  # ~1 MB
        handle.writelines(block for _ in range(50 * 1024 * 1024 // len(block) + 1))
    assert (cwd / "claims" / "big.yaml").stat().st_size > 50 * 1024 * 1024 > MAX_FILE_BYTES
    done, took = run_check(cwd)
    assert_reported(done, took, [("big.yaml", None, "file-too-large")])


def test_symlink_outside_the_folder_is_refused(tmp_path: Path) -> None:
    cwd = _copy("symlink-outside", tmp_path)
    outside = tmp_path / "outside.yaml"
    outside.write_text("source: {title: Outside}\nclaims: []\n", encoding="utf-8")
    (cwd / "claims" / "link.yaml").symlink_to(outside)
    (cwd / "claims" / "passwd.yaml").symlink_to("/etc/passwd")
    done, took = run_check(cwd)
    assert_reported(done, took, [("link.yaml", None, "outside-folder"), ("passwd.yaml", None, "outside-folder")])
    assert "root:" not in done.stdout + done.stderr


def test_symlinked_folder_outside_is_refused_and_one_inside_is_read_once(tmp_path: Path) -> None:
    cwd = _copy("symlink-outside", tmp_path)
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "elsewhere.yaml").write_text("source: {title: Elsewhere}\nclaims: []\n", encoding="utf-8")
    (cwd / "claims" / "shared").symlink_to(shared, target_is_directory=True)
    inside = cwd / "claims" / "real"
    inside.mkdir()
    (inside / "real.yaml").write_text("source: {title: Real}\nclaims: []\n", encoding="utf-8")
    (cwd / "claims" / "again").symlink_to(inside, target_is_directory=True)
    done, took = run_check(cwd)
    assert_reported(done, took, [("shared", None, "outside-folder")])  # never silently left unread
    assert "a folder, none of whose files are read" in done.stdout
    assert "duplicate-source-id" not in done.stdout  # the link inside is not followed: real.yaml is read once


def test_dangling_symlink_is_unreadable(tmp_path: Path) -> None:
    cwd = _copy("dangling-symlink", tmp_path)
    (cwd / "claims" / "gone.yaml").symlink_to(cwd / "claims" / "deleted-long-ago.yaml")
    done, took = run_check(cwd)
    assert_reported(done, took, [("gone.yaml", None, "unreadable-file")])


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root reads a file whatever its mode")
def test_file_without_read_permission_is_unreadable(tmp_path: Path) -> None:
    cwd = _copy("unreadable", tmp_path)
    locked = cwd / "claims" / "locked.yaml"
    locked.chmod(0)
    try:
        done, took = run_check(cwd)
    finally:
        locked.chmod(0o644)
    assert_reported(done, took, [("locked.yaml", None, "unreadable-file")])


def test_json_output_of_a_hostile_folder_is_valid_json(tmp_path: Path) -> None:
    """Scripts read `--format json`: it stays parseable whatever the files hold (NUL, latin-1, tags …)."""
    import json

    cwd = _copy("non-utf8", tmp_path)
    for case in ("yaml-tag", "nan-inf", "duplicate-keys", "deep-nesting"):
        for path in (CORPUS / case / "claims").iterdir():
            if path.name != "topics.yaml":
                shutil.copy(path, cwd / "claims" / path.name)
    done, took = run_check(cwd, "--format", "json")
    assert done.returncode == 1 and took < LIMIT_SECONDS, done.stderr
    data = json.loads(done.stdout)
    codes = {p["code"] for p in data["problems"]}
    assert {"not-utf8", "yaml-tag", "invalid-value", "duplicate-key", "too-deep"} <= codes
    assert all(p["path"].startswith("claims/") for p in data["problems"])


# --------------------------------------------------------------------------- odd but valid: exit 0

@pytest.mark.parametrize("case", ["utf8-bom", "utf16-bom", "crlf", "tabs-in-quotes"])
def test_odd_but_valid_files_load(case: str, tmp_path: Path) -> None:
    done, took = run_check(_copy(case, tmp_path))
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "Traceback" not in output and took < LIMIT_SECONDS
    assert "no errors" in done.stdout


def test_odd_but_valid_values_are_read_as_written(tmp_path: Path) -> None:
    """The BOM, UTF-16 and CRLF files give the same claims as the plain file; tabs inside quotes stay."""
    import json

    for case, claim_ids in (("utf8-bom", ["bom/border-length"]), ("utf16-bom", ["be/border-length",
                                                                                "le/border-length"]),
                            ("crlf", ["crlf/border-length"])):
        cwd = _copy(case, tmp_path / case)
        done = subprocess.run([sys.executable, "-m", "claimtrack", "show", "border-length", "--format", "json",
                               "--dir", "claims"], cwd=cwd, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        claims = json.loads(done.stdout)["claims"]
        assert sorted(c["id"] for c in claims) == claim_ids
        assert all((c["value"], c["low"], c["high"]) == ("1,344 km", 1343.5, 1344.5) for c in claims)
    cwd = _copy("tabs-in-quotes", tmp_path / "tabs")
    done = subprocess.run([sys.executable, "-m", "claimtrack", "sources", "--format", "json", "--dir", "claims"],
                          cwd=cwd, capture_output=True, text=True, timeout=60)
    assert json.loads(done.stdout)["sources"][0]["title"] == "A\ttabbed\ttitle"
