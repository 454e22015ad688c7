"""map_in_two: the same answer as a plain loop, whether or not the second process does its part."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimtrack.cli import app
from claimtrack.parallel import MIN_ITEMS, finish_background, in_background, map_in_two
from tests.conftest import ClaimsFactory, source

runner = CliRunner()

pytestmark = pytest.mark.skipif(not hasattr(os, "fork") or (os.cpu_count() or 1) < 2, reason="needs fork and 2 cores")


def test_results_come_back_in_order_from_two_processes() -> None:
    parent = os.getpid()
    items = list(range(MIN_ITEMS * 2))
    results = map_in_two(lambda n: (n * n, os.getpid()), items)
    assert [square for square, _ in results] == [n * n for n in items]
    pids = {pid for _, pid in results}
    assert parent in pids and len(pids) == 2  # the second half really came from the child


def test_a_child_that_dies_leaves_the_parent_to_do_its_half() -> None:
    parent = os.getpid()

    def dies_in_the_child(n: int) -> int:
        if os.getpid() != parent:
            os._exit(9)
        return n + 1

    items = list(range(MIN_ITEMS * 2))
    assert map_in_two(dies_in_the_child, items) == [n + 1 for n in items]


def test_a_result_that_cannot_be_pickled_is_computed_here() -> None:
    items = list(range(MIN_ITEMS * 2))
    results = map_in_two(lambda n: (lambda: n), items)  # a lambda cannot be pickled back
    assert [make() for make in results] == items


def test_few_items_or_no_fork_run_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    assert set(map_in_two(lambda _: os.getpid(), list(range(MIN_ITEMS - 1)))) == {os.getpid()}
    monkeypatch.setenv("CLAIMTRACK_NO_FORK", "1")
    assert set(map_in_two(lambda _: os.getpid(), list(range(MIN_ITEMS * 2)))) == {os.getpid()}


def test_background_work_is_done_by_a_child_and_complete_once_finished(tmp_path: Path) -> None:
    done = tmp_path / "done"

    def write_slowly() -> None:
        import time

        time.sleep(0.2)
        done.write_text(str(os.getpid()))

    in_background(write_slowly)
    in_background(lambda: 1 / 0)  # a failing child costs nothing here
    finish_background()
    assert done.read_text() != str(os.getpid())  # written by the child, and complete when finish returns


def test_background_work_not_worth_a_fork_runs_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ran: list[int] = []
    in_background(lambda: ran.append(os.getpid()), worth_a_fork=False)
    monkeypatch.setenv("CLAIMTRACK_NO_FORK", "1")
    in_background(lambda: ran.append(os.getpid()))
    assert ran == [os.getpid(), os.getpid()]  # done at once, in this process


def test_a_folder_read_in_two_processes_reads_as_in_one(make_claims: ClaimsFactory,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    files = {f"s{n:04}.yaml": source(f"s{n:04}", f'topic: border-length\nvalue: "{1300 + n % 97} km"\n'
                                                 f'quote: "{1300 + n % 97} km"',
                                      'topic: nope\nvalue: "1"\nquote: q') for n in range(MIN_ITEMS + 10)}
    folder = make_claims(files=files)
    monkeypatch.setenv("CLAIMTRACK_NO_CACHE", "1")
    args = ["check", "--dir", str(folder), "--format", "json"]
    forked = runner.invoke(app, args)
    monkeypatch.setenv("CLAIMTRACK_NO_FORK", "1")
    single = runner.invoke(app, args)
    assert forked.exit_code == single.exit_code == 1
    assert forked.stdout == single.stdout
    problems = json.loads(forked.stdout)["problems"]
    assert {p["code"] for p in problems} == {"unknown-topic", "unresolved-conflict"}
    assert sum(p["code"] == "unknown-topic" for p in problems) == MIN_ITEMS + 10  # every file, from both halves


def test_a_cold_read_in_two_processes_leaves_a_cache_the_next_run_can_trust(
        make_claims: ClaimsFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The child sends its parts of the file cache already pickled; they are written as sent, and serve the next
    run like parts this process pickled (a file nobody can read is sent apart, and never cached)."""
    import claimtrack.dataset as dataset_module

    files = {f"s{n:04}.yaml": source(f"s{n:04}", f'topic: border-length\nvalue: "{1300 + n % 97} km"\nquote: q')
             for n in range(MIN_ITEMS + 10)}
    folder = make_claims(files=files)
    (folder / "zz.yaml").symlink_to(folder / "missing.yaml")  # unreadable: no stamp, not cached
    monkeypatch.setenv("CLAIMTRACK_CACHE_DIR", str(tmp_path / "cache"))
    args = ["check", "--dir", str(folder), "--format", "json"]
    readers = tmp_path / "readers"
    original = dataset_module.read_source_file

    def tracked(path: Path, *rest: object) -> object:
        with readers.open("a") as log:  # the child's memory is its own: it leaves its pid in a file
            log.write(f"{os.getpid()}\n")
        return original(path, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(dataset_module, "read_source_file", tracked)
    cold = runner.invoke(app, args)
    assert len(set(readers.read_text().split())) == 2  # really read in two processes
    (folder / "s0003.yaml").write_text(files["s0003.yaml"].replace("1303 km", "9999 km"))
    read: list[str] = []
    monkeypatch.setattr(dataset_module, "read_source_file",
                        lambda path, *rest: read.append(path.name) or original(path, *rest))
    warm = runner.invoke(app, args)
    assert sorted(read) == ["s0003.yaml", "zz.yaml"]  # every other file came from the cache, either part
    monkeypatch.setenv("CLAIMTRACK_NO_CACHE", "1")
    fresh = runner.invoke(app, args)
    assert warm.stdout == fresh.stdout != cold.stdout
    assert "9999 km" in warm.stdout and "unreadable-file" in warm.stdout


def test_the_file_cache_is_written_in_a_child_only_when_asked(make_claims: ClaimsFactory, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from claimtrack.parallel import finish_background
    from claimtrack.report import analyze

    files = {f"s{n:04}.yaml": source(f"s{n:04}", f'topic: border-length\nvalue: "{1300 + n % 97} km"\nquote: q')
             for n in range(MIN_ITEMS + 10)}
    folder = make_claims(files=files)
    monkeypatch.setenv("CLAIMTRACK_CACHE_DIR", str(tmp_path / "cache"))
    analyze(folder)  # cold: reads in two processes, writes the cache here
    forks: list[int] = []
    real_fork = os.fork
    monkeypatch.setattr(os, "fork", lambda: forks.append(1) or real_fork())
    for n, background in enumerate((False, True)):
        (folder / "s0003.yaml").write_text(files["s0003.yaml"].replace("1303 km", f"{9000 + n} km"))
        analyze(folder, save_in_background=background)  # one file to read: no fork for reading
        finish_background()
        assert len(forks) == int(background)
    assert "9001 km" in runner.invoke(app, ["conflicts", "--dir", str(folder), "--format", "json"]).stdout
