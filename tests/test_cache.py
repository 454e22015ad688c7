"""The cache never answers for files that changed, survives corruption, and is rebuilt on version changes."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

import claimtrack.cache as cache_module
import claimtrack.dataset as dataset_module
from claimtrack.cache import FileCache, OutputCache, folder_cache_dir
from claimtrack.cli import app
from claimtrack.dataset import load_folder
from claimtrack.report import analyze
from tests.conftest import ClaimsFactory, source

runner = CliRunner()
FILES = {
    "a.yaml": source("a", 'topic: border-length\nvalue: "1,344 km"\nquote: q'),
    "b.yaml": source("b", 'topic: border-length\nvalue: "1,374 km"\nquote: q'),
}


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "cache"
    monkeypatch.setenv("CLAIMTRACK_CACHE_DIR", str(directory))
    return directory


def _values(folder: Path) -> set[str]:
    result = runner.invoke(app, ["conflicts", "--dir", str(folder), "--format", "json", "--all"])
    assert result.exit_code == 0, result.output
    return {c["value"] for topic in json.loads(result.stdout)["conflicts"] for c in topic["claims"]}


def _age(path: Path, seconds: float = 3600) -> None:
    """Make a file look old, so that only its stat (not the racy-time rule) protects the cache."""
    old = time.time() - seconds
    os.utime(path, (old, old))


def test_output_is_served_again_and_never_for_changed_files(make_claims: ClaimsFactory, cache_dir: Path) -> None:
    folder = make_claims(files=FILES)
    for path in folder.rglob("*.yaml"):
        _age(path)
    assert _values(folder) == {"1,344 km", "1,374 km"}
    assert list(folder_cache_dir(folder).glob("out-*.pickle"))  # type: ignore[union-attr]
    (folder / "b.yaml").write_text(FILES["b.yaml"].replace("1,374", "1,406"))  # same size, new content
    assert _values(folder) == {"1,344 km", "1,406 km"}
    (folder / "c.yaml").write_text(source("c", 'topic: border-length\nvalue: "1,200 km"\nquote: q'))
    assert "1,200 km" in _values(folder)  # an added file changes the answer
    (folder / "c.yaml").unlink()
    assert "1,200 km" not in _values(folder)  # and so does a removed one


def test_same_content_with_a_new_mtime_is_still_a_hit(make_claims: ClaimsFactory, cache_dir: Path) -> None:
    folder = make_claims(files=FILES)
    for path in folder.rglob("*.yaml"):
        _age(path)
    cache = OutputCache(folder, "key")
    cache.put(list(folder.rglob("*.yaml")), b"stdout", b"stderr", 1)
    assert cache.get() == (b"stdout", b"stderr", 1)
    os.utime(folder / "a.yaml")  # touched, not changed: the hash decides
    assert cache.get() == (b"stdout", b"stderr", 1)
    (folder / "a.yaml").write_text(FILES["a.yaml"] + "# edited\n")
    assert cache.get() is None


def test_a_same_size_edit_with_its_old_mtime_put_back_is_seen(make_claims: ClaimsFactory, cache_dir: Path) -> None:
    """`touch -r`, or a tool that preserves times: size and mtime agree, the inode's change time does not."""
    folder = make_claims(files=FILES)
    for path in folder.rglob("*.yaml"):
        _age(path)
    assert _values(folder) == {"1,344 km", "1,374 km"}
    edited = folder / "b.yaml"
    before = edited.stat()
    edited.write_text(FILES["b.yaml"].replace("1,374", "1,406"))
    os.utime(edited, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (edited.stat().st_size, edited.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    assert _values(folder) == {"1,344 km", "1,406 km"}  # not the whole output kept for the old content
    edited.write_text(FILES["b.yaml"].replace("1,374", "1,407"))
    os.utime(edited, ns=(before.st_atime_ns, before.st_mtime_ns))
    for output in folder_cache_dir(folder).glob("out-*.pickle"):  # type: ignore[union-attr]
        output.unlink()
    assert _values(folder) == {"1,344 km", "1,407 km"}  # nor the file as read before


def test_corrupt_cache_files_are_ignored(make_claims: ClaimsFactory, cache_dir: Path) -> None:
    folder = make_claims(files=FILES)
    expected = _values(folder)
    for path in folder_cache_dir(folder).iterdir():  # type: ignore[union-attr]
        path.write_bytes(b"\x80\x04 not a pickle")
    assert _values(folder) == expected
    for path in folder_cache_dir(folder).iterdir():  # type: ignore[union-attr]
        path.write_bytes(b"")
    assert _values(folder) == expected


def test_file_cache_reuses_unchanged_files_only(make_claims: ClaimsFactory, cache_dir: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    folder = make_claims(files=FILES)
    for path in folder.rglob("*.yaml"):
        _age(path)
    first = analyze(folder).dataset
    read: list[str] = []
    original = dataset_module.read_source_file

    def counting(path: Path, *args: object, **kwargs: object) -> object:
        read.append(path.name)
        return original(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(dataset_module, "read_source_file", counting)
    second = analyze(folder).dataset
    assert read == [] and [c.id for c in second.claims] == [c.id for c in first.claims]
    assert second.claims[0].location.line == first.claims[0].location.line
    (folder / "b.yaml").write_text(FILES["b.yaml"].replace("1,374", "1,999"))
    third = analyze(folder).dataset
    assert read == ["b.yaml"]
    assert {c.value for c in third.claims} == {"1,344 km", "1,999 km"}


def test_registry_or_version_change_drops_file_entries(make_claims: ClaimsFactory, cache_dir: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    folder = make_claims(files=FILES)
    analyze(folder)
    topics = folder / "topics.yaml"
    assert FileCache.open(folder, topics).stored  # type: ignore[union-attr]
    monkeypatch.setattr(cache_module, "__version__", "0.0.0-other")
    cache_module.code_stamp.cache_clear()
    assert FileCache.open(folder, topics).stored == {}  # type: ignore[union-attr]
    monkeypatch.undo()
    monkeypatch.setenv("CLAIMTRACK_CACHE_DIR", str(cache_dir))
    cache_module.code_stamp.cache_clear()
    assert FileCache.open(folder, topics).stored  # type: ignore[union-attr]
    source_file = Path(cache_module.__file__).parent / "values.py"  # the same version, other code (a checkout)
    info = source_file.stat()
    try:
        os.utime(source_file, ns=(info.st_atime_ns, info.st_mtime_ns + 1))
        cache_module.code_stamp.cache_clear()
        assert FileCache.open(folder, topics).stored == {}  # type: ignore[union-attr]
    finally:
        os.utime(source_file, ns=(info.st_atime_ns, info.st_mtime_ns))
        cache_module.code_stamp.cache_clear()
    monkeypatch.setenv("CLAIMTRACK_CACHE_DIR", str(cache_dir))
    topics.write_text(topics.read_text().replace("unit: km", "unit: mi"))
    assert FileCache.open(folder, topics).stored == {}  # type: ignore[union-attr]
    dataset = load_folder(folder)  # re-read under the new registry: the values are now in miles
    assert dataset.by_topic["border-length"][0].interval.low == pytest.approx(1343.5 / 1.609344)  # type: ignore[union-attr]


def test_no_cache_setting_turns_it_off(make_claims: ClaimsFactory, cache_dir: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAIMTRACK_NO_CACHE", "1")
    folder = make_claims(files=FILES)
    assert _values(folder) == {"1,344 km", "1,374 km"}
    assert not cache_dir.exists()


def test_unwritable_cache_dir_only_costs_speed(make_claims: ClaimsFactory, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("x")
    monkeypatch.setenv("CLAIMTRACK_CACHE_DIR", str(blocker / "cache"))
    folder = make_claims(files=FILES)
    assert _values(folder) == {"1,344 km", "1,374 km"}


def test_an_edit_made_while_the_file_is_read_is_seen_next_time(make_claims: ClaimsFactory, cache_dir: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    folder = make_claims(files=FILES)
    for path in folder.rglob("*.yaml"):
        _age(path)
    original = dataset_module.read_source_file

    def read_then_edit(path: Path, *args: object, **kwargs: object) -> object:
        result = original(path, *args, **kwargs)  # type: ignore[arg-type]
        if path.name == "b.yaml":  # the editor saves (same size) just after claimtrack read the old text
            path.write_text(FILES["b.yaml"].replace("1,374", "1,406"))
        return result

    monkeypatch.setattr(dataset_module, "read_source_file", read_then_edit)
    assert _values(folder) == {"1,344 km", "1,374 km"}  # this run saw the old text
    monkeypatch.setattr(dataset_module, "read_source_file", original)
    assert _values(folder) == {"1,344 km", "1,406 km"}  # neither cache may answer with it again


def test_topic_registry_is_read_once_per_content(make_claims: ClaimsFactory, cache_dir: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    folder = make_claims(files=FILES)
    analyze(folder)
    reads: list[Path] = []
    original = dataset_module._load_topics

    def counting(folder: Path, path: Path | None, *args: object) -> object:
        reads.append(folder)
        return original(folder, path, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(dataset_module, "_load_topics", counting)
    (folder / "a.yaml").write_text(FILES["a.yaml"].replace("1,344", "1,345"))
    assert {c.value for c in analyze(folder).dataset.claims} == {"1,345 km", "1,374 km"}
    assert reads == []  # a source file changed, the registry did not
    topics = folder / "topics.yaml"
    topics.write_text(topics.read_text().replace("unit: km", "unit: mi"))
    assert analyze(folder).dataset.topics["border-length"].unit == "mi"
    assert len(reads) == 1


def test_near_duplicate_topics_are_compared_once_per_registry(make_claims: ClaimsFactory, cache_dir: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    import claimtrack.checks as checks_module

    folder = make_claims(files=FILES)
    topics = folder / "topics.yaml"
    topics.write_text(topics.read_text() + "  border-lenght:\n    title: Border length again\n    unit: km\n")
    runs: list[int] = []
    original = checks_module._near_duplicates

    def counting(registry: dict[str, object]) -> object:
        runs.append(len(registry))
        return original(registry)  # type: ignore[arg-type]

    monkeypatch.setattr(checks_module, "_near_duplicates", counting)
    codes = [p.code for p in analyze(folder, check=True).problems]
    (folder / "a.yaml").write_text(FILES["a.yaml"].replace("1,344", "1,345"))
    assert [p.code for p in analyze(folder, check=True).problems] == codes
    assert "near-duplicate-topic" in codes and len(runs) == 1  # a source file changed, the registry did not
    topics.write_text(topics.read_text().replace("border-lenght", "border-width"))
    assert "near-duplicate-topic" not in [p.code for p in analyze(folder, check=True).problems]
    assert len(runs) == 2


def test_an_edit_rewrites_only_its_part_and_a_removed_file_leaves_the_cache(
        make_claims: ClaimsFactory, cache_dir: Path) -> None:
    files = {f"s{n}.yaml": source(f"s{n}", f'topic: refugees\nvalue: "{n}"\nquote: q') for n in range(40)}
    folder = make_claims(files=files)
    for path in folder.rglob("*.yaml"):
        _age(path)
    analyze(folder)
    topics = folder / "topics.yaml"
    before = _blobs(FileCache.open(folder, topics))
    edited, removed = os.path.abspath(folder / "s3.yaml"), os.path.abspath(folder / "s7.yaml")
    (folder / "s3.yaml").write_text(files["s3.yaml"].replace('"3"', '"33"'))
    (folder / "s7.yaml").unlink()
    analyze(folder)
    cache = FileCache.open(folder, topics)
    assert cache is not None
    after = _blobs(cache)
    touched = {cache_module._chunk_of(edited), cache_module._chunk_of(removed)}
    assert {i for i in before if i not in touched and after.get(i) != before[i]} == set()  # the rest as they were
    assert cache.get(folder / "s3.yaml").claims[0].value == "33"  # type: ignore[union-attr]
    assert all(removed not in cache._chunk(i) for i in after)


def _blobs(cache: FileCache | None) -> dict[int, bytes | None]:
    assert cache is not None
    return dict(cache.blobs(cache.stored))


def test_results_are_never_shown_with_paths_relative_to_another_working_directory(
        make_claims: ClaimsFactory, cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Paths are shown relative to where claimtrack runs; a cache filled from one directory must not answer
    in another with the first one's paths (a text copy then even looked as if it were outside the folder)."""
    folder = make_claims(files={"a.yaml": 'source:\n  title: A\n  text: a.txt\nclaims:\n'
                                          '  - topic: border-length\n    value: "1,344 km"\n    quote: q\n',
                                "b.yaml": FILES["b.yaml"]})
    (folder / "a.txt").write_text("q\n")
    elsewhere = folder / "sub"
    elsewhere.mkdir()

    def check_output() -> str:
        result = runner.invoke(app, ["check", "--dir", str(os.path.relpath(folder)), "--format", "json"])
        return result.stdout

    monkeypatch.chdir(folder.parent)
    first = check_output()
    monkeypatch.chdir(elsewhere)
    cached = check_output()
    monkeypatch.setenv("CLAIMTRACK_NO_CACHE", "1")
    fresh = check_output()
    assert cached == fresh != first
    assert "outside-folder" not in cached and ".." in cached


def test_a_cache_write_that_fails_half_way_leaves_no_file(tmp_path: Path) -> None:
    store = tmp_path / "cache" / "files.pickle"
    store.parent.mkdir()

    def parts() -> Iterator[tuple[int, bytes]]:
        yield 0, b"part"
        raise OSError("disk full")

    cache_module._save(store, {"fine": 1}, parts())  # fails at the end
    assert list(store.parent.iterdir()) == []  # no half-written file, no temporary left behind
    cache_module._save(store, {"fine": 1})
    assert [path.name for path in store.parent.iterdir()] == ["files.pickle"]
