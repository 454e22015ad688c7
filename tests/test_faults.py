"""Writes survive faults: authoring commands killed with SIGKILL at random moments, and concurrent writers.

1. 200 `claimtrack add` / `claimtrack resolve` writes against a copy of tests/fixtures/basic/claims, each
   in its own process, killed with SIGKILL after a seeded random delay of 0–300 ms. To make 200 of them
   affordable the writers are forked from a process that has imported claimtrack already (so a write
   takes ~100 ms instead of ~500 ms of interpreter start-up, and the kill lands inside the command, often
   inside the write); a further 20 are real `python -m claimtrack` processes killed anywhere in their run.
   After every kill, every file of the folder is either its old version or its new version (the old one
   plus exactly the edit), it parses, `load_folder` loads the folder without new problems, and every claim
   that a completed write reported ("added ID to FILE") is still there.
2. Two dozen concurrent `claimtrack add` processes, distinct ids, one source file: every one succeeds and
   no claim is lost (the folder lock serialises read-modify-write).

The whole file runs in about 30 s (docs/reliability.md has the measured time).
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

import claimtrack.authoring  # imported here so that forked writers start warm
import claimtrack.cli
import claimtrack.render.table
import claimtrack.yamledit  # noqa: F401
from claimtrack.dataset import load_folder

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and fork are POSIX")

FIXTURE = Path(__file__).parent / "fixtures" / "basic" / "claims"
SEED = 20240601
VALUES = ["1,344 km", "1,374 km", "about 1,400 km", "more than 1,400 km", "1,350 km"]



@pytest.fixture(autouse=True, scope="module")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The cache of every command run here goes to a folder of this module's own (subprocesses inherit it)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CLAIMTRACK_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        yield

def _snapshot(folder: Path) -> dict[str, bytes]:
    """Every visible file of the folder (temporary `.NAME.tmp` files and the lock are hidden)."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)}


def _load_ok(folder: Path) -> set[str]:
    dataset = load_folder(folder)
    assert dataset.problems == (), [str(p) for p in dataset.problems]
    return {claim.id for claim in dataset.claims}


def _is_edit(old: bytes, new: bytes, command: list[str]) -> bool:
    """`new` is `old` with exactly the edit `command` makes (compared as data, comments aside)."""
    before, after = yaml.safe_load(old), yaml.safe_load(new)
    if command[0] == "add":
        claim_id = command[command.index("--id") + 1]
        added = after.get("claims", [])[-1:] if isinstance(after, dict) else []
        return (isinstance(after, dict) and after["source"] == before["source"]
                and after["claims"][:-1] == before["claims"] and [c.get("id") for c in added] == [claim_id])
    topic = command[1]
    if not isinstance(after, dict) or set(after["topics"]) != set(before["topics"]):
        return False
    changed = [key for key in before["topics"] if before["topics"][key] != after["topics"][key]]
    if changed and changed != [topic]:
        return False
    entry = {k: v for k, v in after["topics"][topic].items() if k != "resolution"}
    return entry == {k: v for k, v in before["topics"][topic].items() if k != "resolution"} and bool(
        after["topics"][topic].get("resolution", {}).get("covers"))


def _command(rng: random.Random, index: int, folder: Path) -> list[str]:
    if rng.random() < 0.25:
        return ["resolve", "border-length", "--status", rng.choice(["explained", "disputed", "accepted"]),
                "--note", f"note {index}", "--dir", str(folder)]
    return ["add", "--source", rng.choice(["alpha", "beta"]), "--topic", "border-length", "--value",
            rng.choice(VALUES), "--quote", f"quote {index}", "--id", f"w{index}", "--dir", str(folder)]


def _forked(argv: list[str], out: Path) -> int:
    """Run `claimtrack ARGV` in a forked child (claimtrack already imported); returns its pid."""
    out.touch()
    pid = os.fork()
    if pid == 0:  # the child: never return into pytest
        code = 70
        try:
            from claimtrack.cli import main

            sys.stdout = open(out, "w", encoding="utf-8")  # noqa: SIM115 — the child's stdout until os._exit
            sys.stderr = sys.stdout
            sys.argv = ["claimtrack", *argv]
            try:
                main()
                code = 0
            except SystemExit as done:
                code = done.code if isinstance(done.code, int) else 1
            sys.stdout.flush()
        finally:
            os._exit(code)
    return pid


def _wait(pid: int, deadline: float) -> int | None:
    """Wait for the child until `deadline`; its exit status, or None if it is still running."""
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        if time.monotonic() >= deadline:
            return None
        time.sleep(0.002)


def _spawned(argv: list[str], out: Path) -> subprocess.Popen[bytes]:
    with out.open("wb") as handle:
        return subprocess.Popen([sys.executable, "-m", "claimtrack", *argv], stdout=handle, stderr=subprocess.STDOUT)


def test_writes_killed_at_random_moments_leave_old_or_new_files(tmp_path: Path) -> None:
    folder = tmp_path / "claims"
    shutil.copytree(FIXTURE, folder)
    rng = random.Random(SEED)
    reported: set[str] = set()  # claim ids that a completed `add` reported
    outcomes = {"completed": 0, "killed": 0, "refused": 0, "changed-while-killed": 0}
    ids = _load_ok(folder)
    for index in range(220):
        command = _command(rng, index, folder)
        before = _snapshot(folder)
        out = tmp_path / f"out-{index}.txt"
        if index < 200:  # forked writer, killed 0–300 ms after the start (every tenth one runs to its end)
            pid = _forked(command, out)
            status = _wait(pid, time.monotonic() + (60 if index % 10 == 9 else rng.uniform(0, 0.3)))
            if status is None:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
        else:  # a whole interpreter, killed anywhere in its ~0.5 s
            process = _spawned(command, out)
            try:
                status = process.wait(timeout=rng.uniform(0, 0.8))
            except subprocess.TimeoutExpired:
                process.send_signal(signal.SIGKILL)
                process.wait()
                status = None
        after = _snapshot(folder)
        assert set(after) == set(before), f"files appeared or vanished: {set(after) ^ set(before)}"
        changed = [name for name in after if after[name] != before[name]]
        assert len(changed) <= 1, changed
        for name in changed:  # the new version: the old one plus exactly this edit
            assert _is_edit(before[name], after[name], command), f"{name} is neither old nor new:\n{after[name]!r}"
        ids_now = _load_ok(folder)
        assert ids <= ids_now, f"claims lost: {ids - ids_now}"
        text = out.read_text(encoding="utf-8", errors="replace")
        if status is None:
            outcomes["killed"] += 1
            outcomes["changed-while-killed"] += bool(changed)
        elif status == 0:
            outcomes["completed"] += 1
            assert changed, f"{command[0]} reported success but changed nothing:\n{text}"
            if command[0] == "add":
                assert f"added alpha/w{index}" in text or f"added beta/w{index}" in text, text
                reported.add(next(i for i in ids_now - ids if i.endswith(f"/w{index}")))
        else:
            outcomes["refused"] += 1
            assert not changed and "Traceback" not in text, text
        assert reported <= ids_now, f"reported claims lost: {reported - ids_now}"
        ids = ids_now
    print(f"\nSIGKILL campaign: {outcomes}; {len(reported)} claims reported added")
    assert outcomes["killed"] >= 20 and outcomes["completed"] >= 20, outcomes  # both kinds of moment were hit
    assert outcomes["refused"] == 0, outcomes


def test_concurrent_writers_lose_no_claim(tmp_path: Path) -> None:
    folder = tmp_path / "claims"
    shutil.copytree(FIXTURE, folder)
    writers = 24
    processes = []
    for index in range(writers):
        command = ["add", "--source", "alpha", "--topic", "trade", "--value", "$111 million", "--as-of", "2022",
                   "--quote", f"concurrent {index}", "--id", f"c{index}", "--dir", str(folder)]
        processes.append(_spawned(command, tmp_path / f"c-{index}.txt"))
    for index, process in enumerate(processes):
        assert process.wait(timeout=120) == 0, (tmp_path / f"c-{index}.txt").read_text(encoding="utf-8")
    ids = _load_ok(folder)
    assert {f"alpha/c{index}" for index in range(writers)} <= ids
    data = yaml.safe_load((folder / "sources" / "alpha.yaml").read_text(encoding="utf-8"))
    assert len(data["claims"]) == 4 + writers
