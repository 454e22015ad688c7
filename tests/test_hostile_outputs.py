"""Data that must not reach where it does not belong (issue 19, class 2), through the installed command.

A claims folder whose every string — titles, quotes, values, attributions, notes, qualifiers, aliases, file
names, `text:` paths, keys — holds hostile text: GitHub workflow commands (`\\n::error::x`, `##[add-mask]`),
terminal sequences (OSC 8 hyperlinks, concealed text, C1 CSI), rich markup (`[/bold]`), HTML, Markdown, CR,
U+2028 and bidirectional overrides. Every output for people must show it as text: no line a CI runner takes for
a command, no escape sequence or hidden character, no markup error; JSON and YAML keep it as exact data.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest

# Every payload of the issue, and more: each must come out as visible text.
PAYLOAD = ("\n::error::x \x1b]8;;http://e.example\x1b\\link\x1b]8;;\x1b\\ ::warning file=a::w \x1b[8mhidden\x1b[0m "
           "[/bold] [red]x [/] <script>alert(1)</script> # h - li |cell| \r\r\n\u2028\u2029 \u202eevil\u202c "
           "\u2066iso\u2069 ##[add-mask]secret \x85nel \x9b31m \x7f \u200b\ufeff \U000e0041 `code` *em* _u_ "
           "![i](x) &amp;")
NAME = "\n::error::f \x1b[31m[b] #|<i>\r\u2028\u202e"  # a file name holds anything but '/' and NUL
SGR = re.compile(r"\x1b\[[0-9;]*m")
KEPT = {"\n", "\u200c", "\u200d"}  # line feeds of the layout; the joiners Persian and emoji need


@pytest.fixture(autouse=True, scope="module")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The cache of every command run here goes to a folder of this module's own (subprocesses inherit it)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CLAIMTRACK_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        yield


def q(text: str) -> str:
    """A YAML double-quoted scalar of `text`, in ASCII: every other character as its \\U escape."""
    return '"' + "".join(("\\" + char if char in '"\\' else char) if " " <= char <= "~" else f"\\U{ord(char):08x}"
                         for char in text) + '"'


def hostile_folder(root: Path, *, broken: bool = True) -> Path:
    """claims/ below `root`, every string of it hostile (`broken`: with files whose problems quote the data;
    without, a folder that loads whole); returns `root`."""
    claims = root / "claims"
    (claims / "sources").mkdir(parents=True)
    (claims / "texts" / "[" / "b]").mkdir(parents=True)  # a path through a folder '[' holds '[/b]'
    (claims / "texts" / "[" / "b]" / f"{NAME}.txt").write_text(f"A copy {PAYLOAD} that holds other words.\n",
                                                              encoding="utf-8")
    (claims / "topics.yaml").write_text(f"""topics:
  border-length:
    title: {q("Border " + PAYLOAD)}
    unit: km
    aliases: [{q("alias " + PAYLOAD)}]
    note: {q(PAYLOAD)}
    resolution:
      status: disputed
      preferred: {q("1,344 km")}
      note: {q("why " + PAYLOAD)}
      covers: [a/border-length]
  capital:
    title: {q(PAYLOAD)}
    kind: text
  handover:
    title: {q("When " + PAYLOAD)}
    kind: date
""", encoding="utf-8")
    for name, sid, length, city, when in (("a.yaml", "a", "1,344 km", "Dushanbe " + PAYLOAD, "2023"),
                                          ("b.yaml", "b", "1,374 km", "Khorog", "2025"),
                                          (f"{NAME}.yaml", "c", "more than 1,400 km", "Kulob", "2025")):
        (claims / "sources" / name).write_text(f"""source:
  id: {sid}
  title: {q("Title " + PAYLOAD)}
  publisher: {q(PAYLOAD)}
  author: [{q(PAYLOAD)}, {q("Second " + PAYLOAD)}]
  published: "2024"
  url: {q("https://e.example/" + PAYLOAD)}
  type: news
  note: {q(PAYLOAD)}
  text: {q(f"../texts/[/b]/{NAME}.txt")}
claims:
  - topic: border-length
    value: {q(length)}
    quote: {q("Quote " + PAYLOAD)}
    attributed_to: {q(PAYLOAD)}
    as_of: "2024"
    qualifiers: {{measure: {q(PAYLOAD)}}}
    note: {q(PAYLOAD)}
  - topic: capital
    value: {q(city)}
    quote: {q(PAYLOAD)}
  - topic: handover
    value: {q(when)}
    quote: {q(PAYLOAD)}
""", encoding="utf-8")
    if not broken:
        return root
    # problems whose messages quote the data: a file name, a value, a date, a key, an id, a topic
    (claims / "sources" / f"bad {NAME}.yaml").write_text(f"source:\n  title: {q(PAYLOAD)}\n", encoding="utf-8")
    (claims / "sources" / "worse.yaml").write_text(f"""source:
  id: worse
  title: {q(PAYLOAD)}
  published: {q(PAYLOAD)}
  type: {q(PAYLOAD)}
claims:
  - topic: border-length
    value: {q(PAYLOAD)}
    quote: {q(PAYLOAD)}
    as_of: {q(PAYLOAD)}
    {q("[/b]" + PAYLOAD)}: x
  - id: {q(PAYLOAD)}
    topic: {q(PAYLOAD)}
    value: "1 km"
    quote: {q(PAYLOAD)}
""", encoding="utf-8")
    return root


def run(cwd: Path, *args: str, colour: bool = False, columns: int = 60) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key not in ("NO_COLOR", "FORCE_COLOR")}
    env.update({"COLUMNS": str(columns), "LC_ALL": "C.UTF-8", "PYTHONIOENCODING": "utf-8:surrogateescape"})
    if colour:
        env["FORCE_COLOR"] = "1"
    return subprocess.run([sys.executable, "-m", "claimtrack", *args], cwd=cwd, capture_output=True, timeout=120,
                          env=env, text=True, encoding="utf-8", errors="surrogateescape")


def hidden(text: str) -> list[str]:
    """Characters a terminal acts on or hides, or a CI log splits a line at."""
    return sorted({char for char in text if char not in KEPT
                   and unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp", "Cs")})


def assert_safe_for_people(text: str, *, colour: bool = False, where: str = "") -> None:
    """No workflow command, no escape sequence or hidden character, no crash."""
    assert "Traceback" not in text and "internal error" not in text and "MarkupError" not in text, where + text
    plain = SGR.sub("", text) if colour else text
    assert "\x1b" not in plain, f"{where}: a raw escape sequence:\n{plain}"
    assert not hidden(plain), f"{where}: raw {hidden(plain)!r} in:\n{plain}"
    for line in plain.split("\n"):
        assert not line.lstrip().startswith("::"), f"{where}: a workflow command: {line!r}"
    assert "##[" not in plain, f"{where}: a legacy workflow command in:\n{plain}"


def assert_exact_json(text: str, where: str = "") -> object:
    """JSON that keeps the data exactly, with nothing raw a terminal or a CI log acts on."""
    assert not hidden(text.replace("\t", "")), f"{where}: raw {hidden(text)!r}"
    assert "##[" not in text
    assert not any(line.lstrip().startswith("::") for line in text.splitlines())
    return json.loads(text)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return hostile_folder(tmp_path_factory.mktemp("hostile"))


# --------------------------------------------------------------------------- the general test

PEOPLE = [("check",), ("check", "--format", "text"), ("conflicts",), ("conflicts", "--all"),
          ("conflicts", "--all", "--format", "markdown"), ("show", "border-length"), ("show", "capital"),
          ("show", "handover"), ("topics",), ("sources",), ("consensus",), ("consensus", "border-length", "capital")]


@pytest.mark.parametrize("colour", [False, True], ids=["plain", "colour"])
def test_every_output_for_people_shows_hostile_data_as_text(hostile: Path, colour: bool) -> None:
    """Every human format of every command, on a narrow and a wide terminal, with and without colour."""
    seen = ""
    for args in PEOPLE:
        for columns in (60, 200) if not colour else (60,):
            done = run(hostile, *args, "--dir", "claims", colour=colour, columns=columns)
            where = f"{' '.join(args)} (COLUMNS={columns}, colour={colour})"
            assert done.returncode in (0, 1), where + done.stderr
            assert_safe_for_people(done.stdout, colour=colour, where=where + " stdout")
            assert_safe_for_people(done.stderr, colour=colour, where=where + " stderr")
            seen += done.stdout + done.stderr
    plain = SGR.sub("", seen)
    # the data is there, visibly: escapes for what was hidden, brackets and tags as written
    for shown in ("\\n::error::x", "\\x1b]8;;http://e.example\\x1b\\link", "\\x1b[8mhidden", "[/bold] [red]x [/]",
                  "<script>alert(1)</script>", "\\r\\r\\n\\u2028\\u2029", "\\u202eevil\\u202c", "\\x85nel",
                  "\\x9b31m", "\\x7f", "\\u200b\\ufeff", "\\U000e0041", "##\\[add-mask]secret"):
        assert shown in plain, shown


def test_reports_and_exports_show_hostile_data_as_text(hostile: Path, tmp_path: Path) -> None:
    """The messages of report and export, and the page itself, written to standard output."""
    page = run(hostile, "report", "-o", "-", "--dir", "claims")
    assert page.returncode == 0, page.stderr
    assert_safe_for_people(page.stdout, where="report -o -")
    assert_safe_for_people(page.stderr, where="report -o - stderr")
    assert "<script>alert" not in page.stdout and "&lt;script&gt;alert(1)&lt;/script&gt;" in page.stdout
    assert "\\u202eevil" in page.stdout  # no override reorders what the editor reads
    for args in (("report", "-o", str(tmp_path / f"r{NAME}.html")), ("export", "--format", "csv", "-o",
                                                                      str(tmp_path / f"c{NAME}"))):
        done = run(hostile, *args, "--dir", "claims")
        assert done.returncode == 0, done.stderr
        assert_safe_for_people(done.stdout + done.stderr, where=args[0])
        assert "\\n::error::f \\x1b[31m[b]" in done.stdout + done.stderr  # the path, as text


@pytest.mark.parametrize("args", [("check", "--format", "json"), ("check", "--format", "sarif"),
                                  ("conflicts", "--all", "--format", "json"), ("show", "capital", "--format", "json"),
                                  ("topics", "--format", "json"), ("sources", "--format", "json"),
                                  ("consensus", "--format", "json"), ("export", "--format", "jsonl")])
def test_json_keeps_hostile_data_exactly(hostile: Path, args: tuple[str, ...]) -> None:
    """JSON is exact data: `##[` as `##\\u005b`, DEL, C1 and format characters as \\u escapes, which read back as
    the very characters; no line of it is a workflow command."""
    done = run(hostile, *args, "--dir", "claims")
    assert done.returncode in (0, 1), done.stderr
    assert_safe_for_people(done.stderr, where=" ".join(args))
    text = done.stdout
    if args[-1] == "jsonl":
        data = [assert_exact_json(line) for line in text.splitlines()]
    else:
        data = assert_exact_json(text, " ".join(args))
    assert "##\\u005badd-mask]" in text and "\\u009b31m" in text
    flat = json.dumps(data, ensure_ascii=False)
    assert json.dumps(PAYLOAD, ensure_ascii=False)[1:-1] in flat or args[0] == "check"


def test_github_annotations_stay_one_line_each(hostile: Path) -> None:
    """The github format is commands by design: one per problem or claim, each on one line, then the summary."""
    checked = json.loads(run(hostile, "check", "--format", "json", "--dir", "claims").stdout)
    done = run(hostile, "check", "--format", "github", "--dir", "claims")
    lines = done.stdout.splitlines()
    assert len(lines) == len(checked["problems"]) + 1
    assert all(re.match(r"::(error|warning|notice) file=", line) for line in lines[:-1]), lines
    assert not hidden(done.stdout.replace("\n", ""))
    conflicts = run(hostile, "conflicts", "--all", "--format", "github", "--dir", "claims").stdout.splitlines()
    assert conflicts and all(re.match(r"::(error|warning|notice) file=", line) for line in conflicts)


# --------------------------------------------------------------------------- workflow commands, one by one

def test_a_title_cannot_start_a_workflow_command(tmp_path: Path) -> None:
    """The issue's case: a title, a quote and an attribution holding `\\n::error::…`, in the table and text
    formats of conflicts, show, topics and check, and a wrapped line that would start with `::`."""
    claims = tmp_path / "claims"
    (claims / "sources").mkdir(parents=True)
    (claims / "topics.yaml").write_text(
        f"topics:\n  length:\n    title: {q('Length' + chr(10) + '::error title=t::pwned')}\n    unit: km\n",
        encoding="utf-8")
    words = "word " * 11 + "::warning::wrapped"  # rich wraps this line where the '::' starts a line
    for sid, value in (("a", "1 km"), ("b", "9 km")):
        (claims / "sources" / f"{sid}.yaml").write_text(
            f"source: {{id: {sid}, title: {q(words)}}}\nclaims:\n  - topic: length\n    value: {q(value)}\n"
            f"    quote: {q('says' + chr(10) + '::error::quoted')}\n    attributed_to: {q(words)}\n",
            encoding="utf-8")
    for args in (("conflicts",), ("show", "length"), ("topics",), ("sources",), ("check",)):
        for columns in (40, 57, 80):
            done = run(tmp_path, *args, "--dir", "claims", columns=columns)
            for line in (done.stdout + done.stderr).splitlines():
                assert not line.lstrip().startswith("::"), (args, columns, line)


def test_a_file_name_cannot_start_a_workflow_command(tmp_path: Path) -> None:
    """Run from inside the claims folder, a file named `::error::x.yaml` starts each of its problem lines."""
    claims = tmp_path / "claims"
    claims.mkdir()
    (claims / "topics.yaml").write_text("topics: {}\n", encoding="utf-8")
    (claims / "::error::x.yaml").write_text("source: {title: T}\nclaims: []\n", encoding="utf-8")
    done = run(claims, "check", "--dir", ".")
    assert done.returncode == 1 and ":\\:error::x.yaml" in done.stdout, done.stdout
    assert not any(line.lstrip().startswith("::") for line in done.stdout.splitlines())


# --------------------------------------------------------------------------- terminal escapes

def test_escape_sequences_in_data_are_shown_not_sent(tmp_path: Path) -> None:
    """An OSC 8 hyperlink, concealed text and a C1 CSI in a title reach the terminal as visible escapes."""
    claims = tmp_path / "claims"
    claims.mkdir()
    title = "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\ \x1b[8msecret\x1b[28m \x9b2J \u202eabc"
    (claims / "topics.yaml").write_text(f"topics:\n  t:\n    title: {q(title)}\n", encoding="utf-8")
    for colour in (False, True):
        done = run(tmp_path, "topics", "--dir", "claims", colour=colour, columns=200)
        assert_safe_for_people(done.stdout, colour=colour)
        assert "\\x1b]8;;https://evil.example\\x1b\\click" in SGR.sub("", done.stdout)
        assert "\\x1b[8msecret" in SGR.sub("", done.stdout) and "\\x9b2J \\u202eabc" in SGR.sub("", done.stdout)


def test_error_messages_show_what_they_quote_as_text(tmp_path: Path) -> None:
    """A --dir, a path or a topic with escape sequences or brackets: one error line, shown as text."""
    for args in (("show", "x", "--dir", "\x1b[31mred\n::error::d"), ("check", "\x1b]8;;http://e\x1b\\f.yaml",
                                                                     "--dir", "claims"),
                 ("show", "[/x]\x1b[8m", "--dir", "claims"), ("extract", "no\x1b[2Jsuch[/b].txt")):
        (tmp_path / "claims").mkdir(exist_ok=True)
        (tmp_path / "claims" / "topics.yaml").write_text("topics: {t: {title: T}}\n", encoding="utf-8")
        done = run(tmp_path, *args)
        assert done.returncode == 2, done.stderr
        assert_safe_for_people(done.stderr, where=" ".join(args))
        assert done.stderr.startswith("error: ") and "\\x1b" in done.stderr, done.stderr


# --------------------------------------------------------------------------- rich markup

def test_brackets_in_data_are_printed_as_written(tmp_path: Path) -> None:
    """`[/bold]` in a publisher or a problem's text (warned about on standard error) ended sources and topics in
    MarkupError; they are printed as written."""
    claims = tmp_path / "claims"
    claims.mkdir()
    (claims / "topics.yaml").write_text("topics:\n  t:\n    title: '[red]x'\n", encoding="utf-8")
    (claims / "s.yaml").write_text("source:\n  title: '[/b]'\n  publisher: '[/bold]'\n  published: '2024'\n"
                                   "claims:\n  - {topic: t, value: '1', quote: '[/i]'}\n"
                                   "  - {topic: '[/x]', value: '1', quote: q}\n",
                                   encoding="utf-8")
    for args in (("sources",), ("topics",), ("show", "t"), ("conflicts",)):
        done = run(tmp_path, *args, "--dir", "claims")
        assert done.returncode == 0, done.stderr
        assert "internal error" not in done.stderr, done.stderr
    assert "[/bold]" in run(tmp_path, "sources", "--dir", "claims", columns=200).stdout
    warned = run(tmp_path, "topics", "--dir", "claims", columns=200).stderr
    assert "warning: claims/s.yaml" in warned and "unknown topic '[/x]'" in warned, warned


def test_init_and_add_in_a_folder_named_with_brackets(tmp_path: Path) -> None:
    """`init proj[/b]` and `add` there wrote their files and then ended in MarkupError; now they say what they
    did, with the names as written."""
    done = run(tmp_path, "init", "proj[/b]", columns=200)
    assert done.returncode == 0, done.stderr
    assert "created  proj[/b]/claims/topics.yaml" in done.stdout and "internal error" not in done.stderr
    assert (tmp_path / "proj[" / "b]" / "claims" / "topics.yaml").is_file()
    again = run(tmp_path, "init", "proj[/b]", columns=200)
    assert again.returncode == 0 and "exists, left as it was  proj[/b]" in again.stdout
    folder = "proj[/b]/claims"
    added = run(tmp_path, "add", "--dir", folder, "--source", "example-2025", "--topic", "border-length",
                "--value", "1,374 km", "--quote", "[/bold] the 1,374 km border \x1b[8m", "--attributed-to", "[/i]",
                columns=200)
    assert added.returncode == 0, added.stderr
    assert "added example-2025/border-length-2 to proj[/b]/claims/sources/example-2025.yaml" in added.stdout
    assert "[/bold] the 1,374 km border \\x1b[8m" in added.stdout  # the conflict it takes part in
    assert_safe_for_people(added.stdout + added.stderr)
    for args in (("add-topic", "share", "--title", "[/b] share \x1b[31m"),
                 ("add-source", "--id", "new-2025", "--title", "[/t]"),
                 ("resolve", "border-length", "--status", "disputed", "--note", "[/n] \x1b[8m")):
        done = run(tmp_path, *args, "--dir", folder, columns=200)
        assert done.returncode == 0, (args, done.stderr)
        assert_safe_for_people(done.stdout + done.stderr)
        assert "proj[/b]" in done.stdout or "recorded: border-length is now" in done.stdout, done.stdout


# --------------------------------------------------------------------------- Markdown

def test_markdown_keeps_data_inside_its_cells(tmp_path: Path) -> None:
    """Rendered by a CommonMark parser with GitHub's tables: one heading per topic, one row per claim, no
    HTML, link or image from the data, and the text of every cell as written."""
    from markdown_it import MarkdownIt

    hostile = hostile_folder(tmp_path, broken=False)
    done = run(hostile, "conflicts", "--all", "--format", "markdown", "--dir", "claims")
    conflicts = json.loads(run(hostile, "conflicts", "--all", "--format", "json", "--dir", "claims").stdout)
    html = MarkdownIt("commonmark").enable("table").render(done.stdout)
    topics = list(conflicts["conflicts"])
    assert html.count("<h2>") == len(topics) and "<h1>" not in html and "<h3>" not in html
    assert html.count("<tr>") == sum(len(c["claims"]) + 1 for c in topics)  # the header row and a row a claim
    assert html.count("<td>") == 4 * sum(len(c["claims"]) for c in topics)
    assert "<script" not in html and "<a " not in html and "<img" not in html and "<code>code" not in html
    assert html.count("<em>") == sum(1 for c in topics if c["resolution"])  # the resolution line's own
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "|cell|" in html and "[/bold] [red]x [/]" in html
    assert "\\n::error::x" in html and "\\u2028\\u2029" in html and "`code` *em* _u_ ![i](x) &amp;amp;" in html
    for line in done.stdout.splitlines():
        assert not line.startswith("|") or line.rstrip().endswith("|"), line


# --------------------------------------------------------------------------- SARIF

def test_sarif_uris_are_percent_encoded(tmp_path: Path) -> None:
    """artifactLocation.uri is an RFC 3986 URI reference: a space is %20, '#' %23, a colon %3A, and what is
    not ASCII its UTF-8 bytes (a file name that is not UTF-8, its own bytes)."""
    from urllib.parse import unquote_to_bytes

    claims = tmp_path / "claims"
    claims.mkdir()
    (claims / "topics.yaml").write_text("topics: {}\n", encoding="utf-8")
    names = ["a b#c.yaml", "société:x?.yaml", "50%[1].yaml"]
    for name in names:
        (claims / name).write_text("source: {title: T}\nclaims: [{topic: nope, value: '1', quote: q}]\n",
                                   encoding="utf-8")
    done = run(tmp_path, "check", "--format", "sarif", "--dir", "claims")
    results = json.loads(done.stdout)["runs"][0]["results"]
    uris = {location["physicalLocation"]["artifactLocation"]["uri"]
            for result in results for location in result["locations"]}
    allowed = re.compile(r"[A-Za-z0-9\-._~/%]+")
    assert all(allowed.fullmatch(uri) for uri in uris), uris
    assert {"claims/a%20b%23c.yaml", "claims/soci%C3%A9t%C3%A9%3Ax%3F.yaml", "claims/50%25%5B1%5D.yaml"} <= uris
    assert {os.fsdecode(unquote_to_bytes(uri)) for uri in uris} == {f"claims/{name}" for name in names}


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS refuses file names that are not UTF-8")
def test_sarif_uri_of_a_file_name_that_is_not_utf8(tmp_path: Path) -> None:
    """The name's own bytes, percent-encoded: %E9 for a Latin-1 é."""
    claims = tmp_path / "claims"
    claims.mkdir()
    (claims / "topics.yaml").write_text("topics: {}\n", encoding="utf-8")
    (claims / os.fsdecode(b"latin\xe9.yaml")).write_text("source: {title: T}\nclaims: [{topic: nope, value: '1', "
                                                         "quote: q}]\n", encoding="utf-8")
    done = run(tmp_path, "check", "--format", "sarif", "--dir", "claims")
    results = json.loads(done.stdout)["runs"][0]["results"]
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results} == {
        "claims/latin%E9.yaml"}


# --------------------------------------------------------------------------- extract's YAML

DOCUMENT = ("The border is 1,344 km long \x1b]8;;http://e\x1b\\ and \"quoted\" \\ back \x7f \x9b \u202e x.\n"
            "About 40% of people: left #1 {in} [2023] & *so* on \ufeff\u2028.\n"
            "More than 5,000 ::error::x people ##[add-mask]s arrived in 2024.\n")


def test_extract_yaml_reads_back_as_exactly_the_candidates(tmp_path: Path) -> None:
    """Whatever the document's name and text hold, its YAML parses (with claimtrack's loader and PyYAML) to
    the candidates of its JSON, the name and its stem as plain strings; the terminal sees no raw escape."""
    import yaml

    from claimtrack.loader import parse_yaml

    name = 'doc\n::error::x "y"\x1b[31m #z.txt'
    (tmp_path / "claims" / "texts").mkdir(parents=True)
    (tmp_path / "claims" / "topics.yaml").write_text("topics: {}\n", encoding="utf-8")
    (tmp_path / "claims" / "texts" / name).write_text(DOCUMENT, encoding="utf-8")
    document = f"claims/texts/{name}"
    done = run(tmp_path, "extract", document)
    assert done.returncode == 0, done.stderr
    assert_safe_for_people(done.stdout)
    assert not any(line.lstrip().startswith("::") for line in done.stdout.splitlines())
    candidates = json.loads(run(tmp_path, "extract", document, "--format", "json").stdout)["candidates"]
    expected = [{"topic": "TODO", "value": c["value"], "quote": c["quote"]} for c in candidates]
    for data in (yaml.safe_load(done.stdout), parse_yaml(done.stdout, Path("x.yaml"))[0].data):
        assert data["claims"] == expected
        assert data["source"] == {"id": name[:-4], "title": name[:-4], "text": f"../texts/{name}"}
    assert any("\x1b]8;;" in c["quote"] and "\x9b" in c["quote"] and "\u202e" in c["quote"] for c in candidates)


def test_extract_source_must_be_a_slug(tmp_path: Path) -> None:
    """`--source` is the source's id: a slug, as the contract has ids. Text that would extend the YAML is refused."""
    (tmp_path / "doc.txt").write_text(DOCUMENT, encoding="utf-8")
    for bad in ("x\nclaims: []", "x # y", "a\n", "Upper", '"q"', "x: y"):
        done = run(tmp_path, "extract", "doc.txt", "--source", bad)
        assert done.returncode == 2 and done.stderr.startswith("error: --source must be"), (bad, done.stderr)
        assert done.stdout == ""
    done = run(tmp_path, "extract", "doc.txt", "--source", "eurasianet-2025")
    assert done.returncode == 0 and "\n  id: eurasianet-2025\n" in done.stdout


def test_yaml_strings_read_back_exactly() -> None:
    """Every kind of character through the quoting function extract uses, read back by each YAML reader the
    project uses (its loader, PyYAML, ruamel)."""
    import yaml
    from ruamel.yaml import YAML

    from claimtrack.loader import parse_yaml
    from claimtrack.render.extraction import yaml_scalar, yaml_string

    samples = ["", " lead", "trail ", "a: b", "- x", "# c", "'", '"', "\\", "\\n", "%", "@", "`", "{[", "yes", "null",
               "~", "1.5", "0x1F", "2024-01-01", *(chr(c) for c in range(0x100)), "\u2028\u2029\ufeff\ufffe\uffff",
               "\u202e\u2066\u200b\u200c\u200d", "\U000e0041\U0001f600", "é — “x”", PAYLOAD, NAME]
    text = "x:\n" + "".join(f"  - {yaml_string(s)}\n" for s in samples) + "k: " + yaml_scalar("border-length") + "\n"
    text += "".join(f"w{i}: {yaml_scalar(word)}\n" for i, word in enumerate(("yes", "no", "on", "null", "1.5", "Abc")))
    expected = {"x": samples, "k": "border-length",
                **{f"w{i}": word for i, word in enumerate(("yes", "no", "on", "null", "1.5", "Abc"))}}
    assert yaml.safe_load(text) == expected
    assert parse_yaml(text, Path("x.yaml"))[0].data == expected
    assert YAML(typ="rt").load(text) == expected


# --------------------------------------------------------------------------- ClaimReview, HTML

def test_claimreview_cannot_end_its_script_element(tmp_path: Path) -> None:
    """A quote holding `</script>` cannot close the `<script type="application/ld+json">` the review is meant
    to go into, and a `javascript:` url is no appearance url."""
    claims = tmp_path / "claims"
    claims.mkdir()
    (claims / "topics.yaml").write_text(
        "topics:\n  t:\n    title: T <b>\n    unit: km\n    resolution: {status: explained, preferred: '5 km', "
        "note: '</script><script>alert(1)</script><!--'}\n", encoding="utf-8")
    (claims / "s.yaml").write_text(
        "source: {id: s, title: '</script>', url: 'javascript:alert(1)', publisher: 'A & B'}\n"
        "claims:\n  - {topic: t, value: '5 km', quote: 'It is 5 km </script><script>alert(2)</script>'}\n",
        encoding="utf-8")
    done = run(tmp_path, "export", "--format", "claimreview", "--publisher", "Desk </script>", "--dir", "claims")
    assert done.returncode == 0, done.stderr
    assert "<" not in done.stdout and ">" not in done.stdout and "&" not in done.stdout
    review = json.loads(done.stdout)[0]
    assert review["author"]["name"] == "Desk </script>"
    assert review["itemReviewed"]["appearance"]["headline"] == "</script>"
    assert "url" not in review["itemReviewed"]["appearance"]
    assert review["itemReviewed"]["author"]["name"] == "A & B"


def test_html_report_shows_hidden_characters(tmp_path: Path) -> None:
    """A right-to-left override cannot reverse what the editor reads in the report, and a newline in data
    starts no line of the page."""
    claims = tmp_path / "claims"
    claims.mkdir()
    (claims / "topics.yaml").write_text(f"topics:\n  t:\n    title: {q('Border ' + chr(0x202E) + 'mk 473,1')}\n"
                                        "    unit: km\n", encoding="utf-8")
    for sid, value in (("a", "1 km"), ("b", "9 km")):
        (claims / f"{sid}.yaml").write_text(
            f"source: {{id: {sid}, title: T}}\nclaims:\n  - topic: t\n    value: {q(value)}\n"
            f"    quote: {q('says' + chr(10) + '::error::q ##[add-mask]x')}\n", encoding="utf-8")
    page = run(tmp_path, "report", "-o", "-", "--dir", "claims").stdout
    assert "Border \\u202emk 473,1" in page and "\u202e" not in page
    assert "says\\n::error::q ##&#91;add-mask]x" in page
    assert not any(line.lstrip().startswith("::") for line in page.splitlines())


# --------------------------------------------------------------------------- the guard itself

def test_the_guard_holds_across_chunks() -> None:
    """A '::' split between two writes, a line start of white space and colour, a '##[' across writes."""
    from claimtrack.render.safe import CommandGuard

    guard = CommandGuard()
    out = "".join(guard.text(chunk) for chunk in ["ok\n  \x1b[1m:", ":error::x\n", "::w\r", "\u00a0::n ##", "[e]\n"])
    assert out == "ok\n  \x1b[1m:\\:error::x\n:\\:w\r\u00a0:\\:n ##\\[e]\n"
    assert guard.text("a::b") == "a::b"  # mid-line
    data = CommandGuard(json=True)
    out = "".join(data.data(chunk).decode() for chunk in [b'["##', b'[x", "\xc2\x9b\xe2\x80\xae"]'])
    assert out == '["##\\u005bx", "\\u009b\\u202e"]' and json.loads(out) == ["##[x", "\x9b\u202e"]


def test_show_of_many_pairs_and_claims_csv_show_data_safely(tmp_path: Path) -> None:
    """Found by review after the merges: the by-value lines `show` prints past 50 pairs, and `claims --format
    csv` on standard output, wrote claim values raw (ESC, U+202E, a line starting '::')."""
    payload = "\x1b[31m\u202e[/bold]\n::error::x"
    claims = "\n".join(f'  - {{topic: many, value: "{payload.encode("unicode_escape").decode()}{letter * 30}",'
                       f' quote: q{letter}}}' for letter in "abcdefghijkl")
    folder = tmp_path / "claims"
    folder.mkdir()
    (folder / "topics.yaml").write_text("topics:\n  many: {title: Many, kind: text}\n", encoding="utf-8")
    (folder / "s.yaml").write_text(f"source:\n  id: s\n  title: S\nclaims:\n{claims}\n", encoding="utf-8")
    for args in (("show", "many"), ("claims", "--format", "csv")):
        done = run(tmp_path, *args)
        assert done.returncode == 0, done.stderr
        assert "\x1b" not in done.stdout and "\u202e" not in done.stdout, args
        assert not any(line.lstrip().startswith("::") for line in done.stdout.splitlines()), args
        assert "\\x1b[31m" in done.stdout, args


def test_a_full_disk_on_standard_output_is_one_line(tmp_path: Path) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("needs /dev/full")
    folder = tmp_path / "claims"
    folder.mkdir()
    (folder / "topics.yaml").write_text("topics:\n  t: {title: T}\n", encoding="utf-8")
    for args in (("conflicts", "--format", "json"), ("units",), ("check",)):
        with open("/dev/full", "w") as full:
            done = subprocess.run([sys.executable, "-m", "claimtrack", *args], cwd=tmp_path, stdout=full,
                                  stderr=subprocess.PIPE, text=True, timeout=60, check=False)
        assert done.returncode == 2 and "internal error" not in done.stderr, (args, done.stderr)
        assert done.stderr.startswith("error: cannot write") and done.stderr.count("\n") == 1, done.stderr
