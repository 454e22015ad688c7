"""Loader: plain data with positions; every YAML problem becomes a located problem, never an exception."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimtrack.loader import (
    MAX_FILE_BYTES,
    _fast_parse,
    _precise,
    _scan_any_block,
    _scan_block_style,
    _shape,
    find_files,
    parse_yaml,
    read_yaml,
)


def _parse(text: str):  # type: ignore[no-untyped-def]
    return parse_yaml(text, Path("f.yaml"))


def test_plain_data_and_positions() -> None:
    doc, problems = _parse("source:\n  id: a\nclaims:\n  - topic: x\n    value: 1344\n    quote: \"q\"\n")
    assert problems == []
    assert doc is not None
    assert doc.data == {"source": {"id": "a"}, "claims": [{"topic": "x", "value": "1344", "quote": "q"}]}
    assert str(doc.location(("claims", 0, "value"))) == "f.yaml:5:5"
    assert str(doc.location(("claims", 0, "missing"))) == "f.yaml:4:5"  # nearest ancestor


def test_scalars_stay_text_and_nulls_are_none() -> None:
    doc, _ = _parse("a: 1.50\nb: 2023-04-02\nc: yes\nd: ~\ne:\nf: 'null'\n")
    assert doc is not None
    assert doc.data == {"a": "1.50", "b": "2023-04-02", "c": "yes", "d": None, "e": None, "f": "null"}


@pytest.mark.parametrize(("text", "code", "line"), [
    ("a: b: c\n", "yaml-syntax", 1),
    ("a: [1, 2\nb: 3\n", "yaml-syntax", 2),
    ("a: 1\nb: !!python/object/apply:os.system [ls]\n", "yaml-tag", 2),
    ("a: !custom 1\n", "yaml-tag", 1),
    ("a: &x [*x]\n", "yaml-alias", 1),
    ("a: *nowhere\n", "yaml-alias", 1),
    ("---\na: 1\n---\nb: 2\n", "yaml-syntax", 3),
    ("a: 1\nb: 2\na: 3\n", "duplicate-key", 3),
])
def test_bad_yaml_is_a_located_problem(text: str, code: str, line: int) -> None:
    _, problems = _parse(text)
    assert [(p.code, p.location.line) for p in problems][-1] == (code, line)


def test_duplicate_key_keeps_first_value() -> None:
    doc, problems = _parse("a: 1\na: 2\n")
    assert doc is not None and doc.data == {"a": "1"}
    assert "first at line 1" in problems[0].message


def test_alias_bomb_is_refused_quickly() -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines.extend(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10))
    start = time.perf_counter()
    _, problems = _parse("\n".join(lines) + "\n")
    assert time.perf_counter() - start < 5
    assert problems[-1].code == "yaml-alias"


def test_small_aliases_are_fine() -> None:
    doc, problems = _parse("base: &q {measure: official}\nother: *q\n")
    assert problems == []
    assert doc is not None and doc.data["other"] == {"measure": "official"}


@pytest.mark.parametrize("depth", [100, 999, 1_001, 10_000])  # libyaml 0.2.5's own limit is 1,000 flow levels
@pytest.mark.parametrize("parser", ["C", "pure"])
def test_deep_nesting_is_refused_whatever_the_parser_allows(depth: int, parser: str,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    import yaml

    if parser == "pure":  # libyaml refuses deep flow nesting itself (since 0.2.5), pure-Python PyYAML never does
        monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    text = "source: {}\nclaims:\n  - a: " + "[" * depth + "]" * depth + "\n"
    _, problems = _parse(text)
    assert [(p.code, p.location.line) for p in problems] == [("too-deep", 3)]


@pytest.mark.parametrize("raw", [
    b"\xef\xbb\xbfa: 1\n",                       # UTF-8 with BOM
    "a: 1\n".encode("utf-16"),                   # UTF-16 with BOM
    b"a: 1\r\nb: 2\r\n",                         # CRLF
])
def test_odd_but_valid_encodings_load(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes(raw)
    doc, problems = read_yaml(path)
    assert problems == []
    assert doc is not None and doc.data["a"] == "1"


@pytest.mark.parametrize(("raw", "line"), [(b"a: 1\nb: caf\xe9\n", 2), (b"a: 1\nb: \x00\n", 2)])
def test_bad_bytes_are_located(tmp_path: Path, raw: bytes, line: int) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes(raw)
    _, problems = read_yaml(path)
    assert [(p.code, p.location.line) for p in problems] == [("not-utf8", line)]


def test_oversized_file_is_refused_without_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    with path.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)
    _, problems = read_yaml(path)
    assert [p.code for p in problems] == ["file-too-large"]


def test_find_files_skips_hidden_and_refuses_outside_symlinks(tmp_path: Path) -> None:
    folder = tmp_path / "claims"
    (folder / "sub").mkdir(parents=True)
    (folder / ".git").mkdir()
    (folder / "topics.yaml").write_text("topics: {}\n")
    (folder / "sub" / "a.yml").write_text("x: 1\n")
    (folder / ".git" / "b.yaml").write_text("x: 1\n")
    (tmp_path / "secret.yaml").write_text("x: 1\n")
    (folder / "link.yaml").symlink_to(tmp_path / "secret.yaml")
    topics, sources, problems = find_files(folder)
    assert topics == folder / "topics.yaml"
    assert sources == [folder / "sub" / "a.yml"]
    assert [p.code for p in problems] == ["outside-folder"]


# --------------------------------------------------------------------------- the fast path agrees with the builder

ROOT = Path(__file__).resolve().parent.parent
_text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30)
_claim = st.fixed_dictionaries({"topic": _text, "value": _text, "quote": _text},
                               optional={"id": _text, "as_of": _text, "note": _text})


def _agree(text: str) -> None:
    data = _fast_parse(text)
    builder, problems = _precise(text, Path("x.yaml"))
    if data is None:
        return  # the builder alone reads this file
    assert not problems and data == builder.root
    shape = _shape(data)
    if shape is None:
        general = _scan_any_block(text, data)
        if general is not None:  # every key and item outside flow collections, where the builder puts it
            assert all(builder.positions[key] == (at >> 20, at & 0xFFFFF) for key, at in general.items())
            assert ("topics",) not in data or len(general) > 1
        return
    packed = _scan_block_style(text, shape)
    if packed is not None:
        scanned = dict(zip(packed.keypaths(), packed.values, strict=True))
        assert all(builder.positions[key] == (at >> 20, at & 0xFFFFF) for key, at in scanned.items())
        for key in scanned:
            assert key in packed and packed.get(key) == scanned[key]
        for absent in [("nope",), ("source", "nope"), ("claims", 10**6), ("claims", 0, "nope"), ("claims", "x"),
                       ("claims", 0, "topic", 1), ("source", "title", "x")]:
            assert absent not in packed and packed.get(absent) is None


@settings(max_examples=150, deadline=None)
@given(st.fixed_dictionaries({"source": st.fixed_dictionaries({"title": _text}), "claims": st.lists(_claim)}),
       st.sampled_from([(2, 4, 2), (2, 2, 0), (4, 6, 4)]))
def test_fast_path_and_scan_agree_with_the_builder(document: dict[str, object], style: tuple[int, int, int]) -> None:
    import io

    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.indent(mapping=style[0], sequence=style[1], offset=style[2])
    out = io.StringIO()
    yaml.dump(document, out)
    _agree(out.getvalue())


def test_fast_path_agrees_on_shipped_and_fixture_files() -> None:
    paths = [*ROOT.glob("claims/**/*.yaml"), *ROOT.glob("tests/fixtures/**/*.yaml")]
    assert paths
    for path in paths:
        _agree(path.read_text(encoding="utf-8"))
    registry = (ROOT / "claims" / "topics.yaml").read_text(encoding="utf-8")
    assert _scan_any_block(registry, _fast_parse(registry)) is not None  # the shipped registry is scanned


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.from_regex(r"[a-z][a-z-]{0,8}", fullmatch=True),
                       st.fixed_dictionaries({"title": _text}, optional={
                           "aliases": st.lists(_text, max_size=3), "note": _text,
                           "resolution": st.fixed_dictionaries({"status": st.just("explained")},
                                                               optional={"covers": st.lists(_text, max_size=3)})}),
                       max_size=4),
       st.booleans(), st.sampled_from([(2, 4, 2), (2, 2, 0), (4, 6, 4)]))
def test_registry_scan_agrees_with_the_builder(topics: dict[str, object], flow: bool,
                                               style: tuple[int, int, int]) -> None:
    import io

    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.indent(mapping=style[0], sequence=style[1], offset=style[2])
    yaml.default_flow_style = None if flow else False  # None: lists of scalars in flow style
    out = io.StringIO()
    yaml.dump({"topics": topics}, out)
    _agree(out.getvalue())


@pytest.mark.parametrize("text", [
    "a: 1.50\n", "a: true\n", "a: &x 1\nb: *x\n", "a: !t 1\n", "a: 1\na: 2\n", "--- \na: 1\n", "a: \x07\n",
    "1: x\n", "- a\n",
    # explicit keys and block indicators in flow collections
    "? a\n: 1\n", "b: 1\n? a\n: 1\n", "a: {? b: 1}\n", "a: [ |\n  x ]\n",
    # a plain scalar starting with ":" in flow, which libyaml refuses
    "a: {t: :0}\n", "a: [:0]\n", "a: [ :x, b]\n", "a: {t: x, : y}\n",
    # deep nesting, in each of its three forms
    "a: " + "- " * 16 + "x\n", "a: " + "[" * 16 + "]" * 16 + "\n", "a:\n" + " " * 128 + "b: 1\n",
    # integers not written the plain way, in block and flow style
    "a: 007\n", "a: +7\n", "a: 1_000\n", "a: 0x10\n", "a: -0\n", "a: [1, 007]\n", "a: {b: +0}\n",
    "a:\n  - 007\n", "a: _0\n", "a: __12\n", "a: -_1\n", "a: 0_\n", "a: 1_\n",
    "a: +1\r", "a: 0o7\r\n", "a: [1, 007\r]\n",
    # a block scalar that ends the file without a line break
    "a: |\n  x", "a: >+\n  x\n  y", "a:\n  - >\n    ", "a: >\n", "a: |+\r\n", "a: |  # c\n# d\n\n",
    "a: {b ::c}\n", "  !x a: 1\n", "\r!x a: 1\n", "a:   &x 1\n", "- *x\n", "a: [1, !t 2]\n", "? &k a\n: 1\n",
    "a:\n  &x b: 1\n", "{s\nource: x}\n", "a: [b,\n  c]\n", "&a x: 1\n", "a: [1,*b]\n", "a:\n- !t x\n",
    "a: {\n  b\n  :c}\n", "a: {b-3:}\n", "a: [b:, c]\n",
    # a document marker at the start of any line
    "a: 1\n...\n", "a: 1\n---\nb: 2\n"])
def test_fast_path_declines_what_it_would_read_differently(text: str) -> None:
    assert _fast_parse(text) is None


@pytest.mark.parametrize("text, data", [
    ("a: 7\nb: 10\nc: 0\n", {"a": "7", "b": "10", "c": "0"}),
    ("a: 2019-08\nb: 'x? y'\nc: \"1 > 0 | 2\"\n", {"a": "2019-08", "b": "x? y", "c": "1 > 0 | 2"}),
    ("a: \"- - x\"\n", {"a": "- - x"}),
    # markers only count at a line's start
    ("a: \"wait... --- no\"\nb: x ... y\n", {"a": "wait... --- no", "b": "x ... y"}),
    ("a: R&D at AT&T & co\nb: wow! 2 * 3\n", {"a": "R&D at AT&T & co", "b": "wow! 2 * 3"}),  # not where a node starts
    ("a: [[1], {b: [2]}]\n", {"a": [["1"], {"b": ["2"]}]}),
])
def test_fast_path_reads_ordinary_text_that_passes_a_guard(text: str, data: object) -> None:
    assert _fast_parse(text) == data


# Pieces of YAML where yaml-rs and libyaml are most likely to part: indicators, flow collections, scalars that
# look like numbers, block scalars, line breaks. Every disagreement found this way is a guard in _needs_builder.
_PIECES = ["&x ", "*x", "!x ", "&", "!", "*", "R&D", "& ", " & ", "a & b", "2 * 3", "{", "[", "}", "]", ", ", ",", "a",
           "b", "source", "x y",
           "1,344 km", "0", "7", "12", "-3", "1.5", "1e3", ".5", "true", "null", "~", "", ": ", ":", "::", "- ", "-",
           "--", "\n", "\n  ", "\n    ", "\n  - ", "\n- ", "  ", " ", "'", "''", '"', '\\"', "#", " #", "?", "? ", "|",
           ">", "|-", ">+", "|2", "@", "`", "%", "=", "<", "=>", "\\", "\r\n", "\r", "é", "–", "...", "--- ", "_",
           "0x1", "0o7", "+1", "1_0", ".inf", ".NaN", "yes", "on", "0b1", "2023-01-01", "12:30", "1:2", '"a\nb"',
           "'a\n b'", "a\n  b", "%YAML", "<<"]


@pytest.mark.parametrize("seed", range(4))
def test_fast_path_reads_random_yamlish_text_as_libyaml_does(seed: int) -> None:
    import random

    chance = random.Random(seed)
    for _ in range(25_000):
        text = "".join(chance.choice(_PIECES) for _ in range(chance.randint(1, 25)))
        data = _fast_parse(text)
        if data is not None:
            builder, problems = _precise(text, Path("x.yaml"))
            assert not problems and builder.root == data, repr(text)
