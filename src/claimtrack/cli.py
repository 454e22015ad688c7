"""Command line (typer): the only module that parses options, prints diagnostics or exits."""

from __future__ import annotations

import gc
import os
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, Optional

import typer

from claimtrack import __version__
from claimtrack.errors import ClaimtrackError, ExitCode
from claimtrack.export import ExportFormat
from claimtrack.render import CheckFormat, ConflictsFormat, ConsensusFormat, ListFormat, ShowFormat

if TYPE_CHECKING:
    from collections.abc import Callable

    from rich.console import Console

    from claimtrack.authoring import Edited
    from claimtrack.dataset import Topic
    from claimtrack.report import Report


class ResolutionStatus(str, Enum):
    explained = "explained"
    accepted = "accepted"
    disputed = "disputed"


app = typer.Typer(
    name="claimtrack",
    help="Keep the factual claims of many documents as YAML records and show where they contradict each other.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

ClaimsDir = Annotated[
    Optional[Path],  # noqa: UP045 — typer needs Optional on Python 3.11
    typer.Option("--dir", "-d", envvar="CLAIMTRACK_DIR", show_envvar=True,
                 help="Claims folder (default: the nearest claims/ from here upwards)."),
]


MIN_WIDTH, MAX_WIDTH, DEFAULT_WIDTH = 40, 1000, 80
SPILL_BYTES = 32 * 1024 * 1024  # standard output held for the output cache up to this; beyond, written through


def _width() -> int | None:
    """The width to lay output out in, from COLUMNS, kept between MIN_WIDTH and MAX_WIDTH: rich takes COLUMNS as
    it is, and `COLUMNS=0` printed nothing while `COLUMNS=100000000` laid out tables that wide (memory and time
    without end). None (COLUMNS unset or not a number) leaves it to rich: the terminal's width, else 80."""
    columns = os.environ.get("COLUMNS")
    if columns is None:
        return None
    try:
        width = int(columns.strip())
    except ValueError:
        return None
    return DEFAULT_WIDTH if width <= 0 else max(MIN_WIDTH, min(MAX_WIDTH, width))


def _stdout() -> Console:
    from rich.console import Console

    return Console(width=_width())


def _stderr() -> Console:
    from rich.console import Console

    return Console(stderr=True, width=_width())


def _fail(error: ClaimtrackError) -> NoReturn:
    from rich.text import Text

    console = _stderr()
    # one line however long (a log reader greps for it), and the message is text, never rich markup
    console.print(Text.assemble(("error:", "bold red"), " ", error.message), highlight=False, soft_wrap=True)
    if error.suggestions:
        console.print(Text(f"did you mean: {', '.join(error.suggestions)}?"), highlight=False, soft_wrap=True)
    raise typer.Exit(ExitCode.USAGE)


def _folder(claims_dir: Path | None) -> Path:
    from claimtrack.dataset import find_claims_folder

    try:
        return find_claims_folder(claims_dir)
    except ClaimtrackError as error:
        _fail(error)


def _serve(claims_dir: Path | None, key: str, body: Callable[[Report, Console, Console], int], *,
           check: bool = False, only: list[Path] | None = None, only_topics: frozenset[str] = frozenset(),
           cacheable: bool = True) -> NoReturn:
    """Analyse the folder, let `body` render into (stdout, stderr) and exit with its code.

    The whole output is kept in the cache (cache.OutputCache) and served again while no file it read has
    changed; the key holds everything else the output depends on (arguments, terminal, working directory).
    """
    from rich.console import Console

    from claimtrack.cache import OutputCache
    from claimtrack.parallel import finish_background
    from claimtrack.render.text import ByteSink
    from claimtrack.report import analyze

    folder = _folder(claims_dir)
    out, err = _stdout(), _stderr()
    terminal = f"{out.width}:{out.color_system}:{out.is_terminal}:{out.no_color}:{err.color_system}:{os.getcwd()}"
    cache = OutputCache(folder, f"{key}:{terminal}") if cacheable else None
    hit = cache.get() if cache else None
    if hit is not None:
        _write_bytes(hit[0], hit[1])
        raise typer.Exit(hit[2])
    report = analyze(folder, check=check, only=only, only_topics=only_topics, save_in_background=True)
    try:  # the file cache is being written meanwhile: done when this command is, however it ends
        sys.stdout.flush()
        # an output past SPILL_BYTES goes out as it is made and is not cached (it would be held twice over)
        sinks = [ByteSink(sys.stdout.buffer, SPILL_BYTES), ByteSink()]
        captured = [Console(file=sink, width=c.width, color_system=c.color_system,  # type: ignore[arg-type]
                            force_terminal=c.is_terminal, no_color=c.no_color, highlight=False)
                    for sink, c in zip(sinks, (out, err), strict=True)]
        try:
            code = body(report, captured[0], captured[1])
        except ClaimtrackError as error:
            _fail(error)
        outputs = [sink.getvalue() for sink in sinks]
        _write_bytes(outputs[0], outputs[1])
        if cache is not None and not sinks[0].spilled:
            file_cache = report.dataset.cache
            cache.put(report.files_read, outputs[0], outputs[1], code, file_cache.stamps() if file_cache else None)
    finally:
        finish_background()
    raise typer.Exit(code)


def _write_bytes(stdout: bytes, stderr: bytes) -> None:
    """Captured output, as the UTF-8 it was kept in."""
    for stream, data in ((sys.stdout, stdout), (sys.stderr, stderr)):
        stream.flush()
        stream.buffer.write(data)
        stream.buffer.flush()


def _warn_problems(report: Report, console: Console) -> None:
    """Listing commands still work on broken files, but say so on stderr."""
    errors = report.errors
    if not errors:
        return
    for problem in errors[:5]:
        console.print(f"[yellow]warning:[/] {problem}", highlight=False, soft_wrap=True)
    more = f" ({len(errors) - 5} more)" if len(errors) > 5 else ""
    console.print(f"[yellow]warning:[/] {len(errors)} problem(s) in the claim files{more}; "
                  "run `claimtrack check` for all of them", highlight=False)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"claimtrack {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    """claimtrack: where do my sources disagree?"""


@app.command()
def conflicts(
    topic: Annotated[Optional[list[str]], typer.Option("--topic", "-t", help="Only these topics (repeatable).")] = None,  # noqa: UP045
    show_all: Annotated[bool, typer.Option("--all", "-a", help="Also list resolved topics.")] = False,
    fmt: Annotated[ConflictsFormat, typer.Option("--format", "-f", help="Output format.")] = ConflictsFormat.table,
    claims_dir: ClaimsDir = None,
) -> None:
    """Every topic in conflict, its claims grouped by value with sources and quotes, most severe first."""
    from claimtrack.dataset import find_topic
    from claimtrack.render import conflicts_renderers

    def body(report: Report, out: Console, err: Console) -> int:
        keys = [find_topic(word, report.dataset.topics).key for word in topic or ()]
        _warn_problems(report, err)
        chosen = report.ordered_conflicts(include_resolved=show_all or bool(keys), topics=keys)
        conflicts_renderers()[fmt](report, chosen, out)
        return ExitCode.OK

    _serve(claims_dir, f"conflicts:{topic}:{show_all}:{fmt.value}", body)


@app.command()
def show(
    topic: Annotated[str, typer.Argument(help="Topic key, alias, or a close spelling.")],
    fmt: Annotated[ShowFormat, typer.Option("--format", "-f", help="Output format.")] = ShowFormat.table,
    claims_dir: ClaimsDir = None,
) -> None:
    """One topic: all its claims by value, a number line (or timeline) of their intervals, conflicts marked."""
    from claimtrack.dataset import find_topic
    from claimtrack.render import show_renderers

    def body(report: Report, out: Console, err: Console) -> int:
        found = find_topic(topic, report.dataset.topics)
        _warn_problems(report, err)
        show_renderers()[fmt](report, found, out)
        return ExitCode.OK

    _serve(claims_dir, f"show:{topic}:{fmt.value}", body)


@app.command()
def topics(
    fmt: Annotated[ListFormat, typer.Option("--format", "-f", help="Output format.")] = ListFormat.table,
    claims_dir: ClaimsDir = None,
) -> None:
    """The topic registry with claim counts and conflict status."""
    from claimtrack.render import topics_renderers

    def body(report: Report, out: Console, err: Console) -> int:
        _warn_problems(report, err)
        topics_renderers()[fmt](report, out)
        return ExitCode.OK

    _serve(claims_dir, f"topics:{fmt.value}", body)


@app.command()
def sources(
    fmt: Annotated[ListFormat, typer.Option("--format", "-f", help="Output format.")] = ListFormat.table,
    claims_dir: ClaimsDir = None,
) -> None:
    """The source documents with their claim counts."""
    from claimtrack.render import sources_renderers

    def body(report: Report, out: Console, err: Console) -> int:
        _warn_problems(report, err)
        sources_renderers()[fmt](report, out)
        return ExitCode.OK

    _serve(claims_dir, f"sources:{fmt.value}", body)


@app.command()
def export(
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="What to write.")],
    output: Annotated[Optional[Path], typer.Option(  # noqa: UP045
        "--output", "-o", metavar="PATH", help="File (sqlite: claimtrack.db; jsonl, claimreview: standard output, "
        "or -) or folder (csv: claimtrack-csv).")] = None,
    publisher: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--publisher", metavar="NAME", help="claimreview: the organisation that reviews (required).")] = None,
    url_base: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--url-base", metavar="URL", help="claimreview: each review's url is URL followed by the claim id.")] = None,
    claims_dir: ClaimsDir = None,
) -> None:
    """The whole data set for other tools: SQLite (Datasette, DuckDB), CSV with a data package, JSON Lines, or
    ClaimReview JSON-LD; written atomically."""
    from functools import partial

    from claimtrack.export import ExportOptions, export_dataset, plan_export
    from claimtrack.render.text import plural, write_raw

    options = ExportOptions(publisher, url_base)
    try:
        path = plan_export(fmt, output, options)  # a bad option or target fails before the analysis
    except ClaimtrackError as error:
        _fail(error)

    def body(report: Report, out: Console, err: Console) -> int:
        _warn_problems(report, err)
        exported = export_dataset(report, fmt, path, options, partial(write_raw, out))
        for problem in exported.problems:
            err.print(str(problem), highlight=False, soft_wrap=True, markup=False)
        if exported.paths:
            err.print(f"exported {plural(exported.count, exported.noun)} to "
                      f"{', '.join(map(str, exported.paths))}", highlight=False, soft_wrap=True, markup=False)
        return ExitCode.OK

    _serve(claims_dir, f"export:{fmt.value}", body, cacheable=False)


@app.command()
def check(
    paths: Annotated[Optional[list[Path]], typer.Argument(help="Claim files to judge (default: all).")] = None,  # noqa: UP045
    changed_since: Annotated[Optional[str], typer.Option("--changed-since", metavar="REF",  # noqa: UP045
                                                         help="Judge only files changed since this git ref.")] = None,
    fmt: Annotated[CheckFormat, typer.Option("--format", "-f", help="Output format.")] = CheckFormat.text,
    claims_dir: ClaimsDir = None,
) -> None:
    """Validate claim files and report unresolved conflicts; exit 1 if anything is wrong (the CI gate)."""
    from claimtrack.render import check_renderers

    only: list[Path] | None = list(paths) if paths else None
    topics: frozenset[str] = frozenset()
    if changed_since is not None:
        from claimtrack.gitfiles import changes_since

        try:
            changes = changes_since(changed_since, _folder(claims_dir))
        except ClaimtrackError as error:
            _fail(error)
        only, topics = [*(only or []), *changes.files], frozenset(changes.topics)
    for path in only or ():
        if not path.exists() and changed_since is None:
            _fail(ClaimtrackError(f"no such file: {path}"))

    def body(report: Report, out: Console, err: Console) -> int:
        check_renderers()[fmt](report, out)
        return report.exit_code

    # with --changed-since the answer depends on git as well as on the files: never served from the cache
    key = f"check:{sorted(str(p.resolve()) for p in only or ())}:{fmt.value}"
    _serve(claims_dir, key, body, check=True, only=only, only_topics=topics, cacheable=changed_since is None)


@app.command()
def report(
    output: Annotated[str, typer.Option("--output", "-o", metavar="FILE",
                                        help="Where to write the page; '-' for standard output.")]
        = "claimtrack-report.html",
    title: Annotated[Optional[str], typer.Option("--title", help="The page's heading (default: names the "  # noqa: UP045
                                                 "claims folder).")] = None,
    claims_dir: ClaimsDir = None,
) -> None:
    """One self-contained HTML page for editors: every topic in conflict as a range plot, with its quotes,
    sources and resolution (opens from disk, no network)."""
    from claimtrack.render.html import page
    from claimtrack.render.text import plural
    from claimtrack.report import analyze
    from claimtrack.writer import write_output

    analysis = analyze(_folder(claims_dir))
    _warn_problems(analysis, _stderr())
    html = page(analysis, title)
    if output == "-":
        _write_bytes(html.encode("utf-8", "surrogateescape"), b"")
        return
    try:
        write_output(Path(output), html)
    except ClaimtrackError as error:
        _fail(error)
    resolved = sum(1 for conflict in analysis.conflicts.values() if conflict.status == "resolved")
    _stdout().print(f"wrote {output}: {plural(len(analysis.dataset.claims), 'claim')}, "
                    f"{plural(len(analysis.conflicts), 'topic')} in conflict ({resolved:,} of them resolved)",
                    highlight=False, markup=False)


@app.command()
def consensus(
    topic: Annotated[Optional[list[str]], typer.Argument(help="Only these topics (key, alias or a close "  # noqa: UP045
                                                         "spelling); all when omitted.")] = None,
    fmt: Annotated[ConsensusFormat, typer.Option("--format", "-f", help="Output format.")] = ConsensusFormat.table,
    claims_dir: ClaimsDir = None,
) -> None:
    """What the independent sources support, per topic and scope, and how reliable each source has been."""
    from claimtrack.dataset import find_topic
    from claimtrack.render import consensus_renderers

    def body(report: Report, out: Console, err: Console) -> int:
        chosen = [find_topic(word, report.dataset.topics) for word in topic or ()]
        _warn_problems(report, err)
        consensus_renderers()[fmt](report, chosen, out)
        return ExitCode.OK

    _serve(claims_dir, f"consensus:{topic}:{fmt.value}", body)


@app.command()
def schema(
    kind: Annotated[str, typer.Argument(help="'source' or 'topics'; both when omitted.")] = "",
) -> None:
    """JSON Schema of the two file kinds, for editors (yaml-language-server) and other validators."""
    import json

    from claimtrack.schema import json_schemas

    schemas = json_schemas()
    if kind and kind not in schemas:
        _fail(ClaimtrackError(f"unknown schema {kind!r}", tuple(schemas)))
    typer.echo(json.dumps(schemas[kind] if kind else schemas, indent=2, ensure_ascii=False))


def _apply_edit(edit: Callable[[Path], Edited], claims_dir: Path | None) -> Edited:
    """Run an authoring operation; a refusal prints its problems and exits 2 with nothing written."""
    from claimtrack.authoring import EditRefused

    folder = _folder(claims_dir)
    try:
        return edit(folder)
    except EditRefused as refused:
        console = _stderr()
        for problem in refused.problems:
            console.print(str(problem), highlight=False, soft_wrap=True, markup=False)
        _fail(refused)
    except ClaimtrackError as error:
        _fail(error)


def _qualifiers(pairs: list[str] | None) -> dict[str, str]:
    result: dict[str, str] = {}
    for pair in pairs or ():
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            _fail(ClaimtrackError(f"--qualifier takes KEY=VALUE, not {pair!r}"))
        result[key.strip()] = value.strip()
    return result


@app.command()
def add(
    source: Annotated[str, typer.Option("--source", "-s", help="The source's id.")],
    topic: Annotated[str, typer.Option("--topic", "-t", help="The topic's key.")],
    value: Annotated[str, typer.Option("--value", "-v", help='What the source says, e.g. "more than 1,400 km".')],
    quote: Annotated[str, typer.Option("--quote", "-q", help="The source's words, verbatim.")],
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="When the value holds.")] = None,  # noqa: UP045
    attributed_to: Annotated[Optional[str], typer.Option("--attributed-to", help="Who the source reports.")] = None,  # noqa: UP045
    qualifier: Annotated[Optional[list[str]], typer.Option("--qualifier", help="KEY=VALUE (repeatable).")] = None,  # noqa: UP045
    claim_id: Annotated[Optional[str], typer.Option("--id", help="Claim id (default: the topic key).")] = None,  # noqa: UP045
    note: Annotated[Optional[str], typer.Option("--note", help="Free text.")] = None,  # noqa: UP045
    claims_dir: ClaimsDir = None,
) -> None:
    """Append a claim to a source's file, then show the conflicts it takes part in."""
    from claimtrack.authoring import add_claim

    fields = {"id": claim_id, "topic": topic, "value": value, "quote": quote, "as_of": as_of,
              "attributed_to": attributed_to, "qualifiers": _qualifiers(qualifier), "note": note}
    edited = _apply_edit(lambda folder: add_claim(folder, source, fields), claims_dir)
    _report_added(edited)


def _report_added(edited: Edited) -> None:
    from claimtrack.render import table

    console = _stdout()
    console.print(f"added {edited.claim_id} to {edited.path}", highlight=False)
    report = edited.report
    involved = [c for c in report.conflicts.values() if edited.claim_id in c.claim_ids]
    if not involved:
        console.print("it agrees with every claim on its topic", highlight=False)
        return
    table.conflicts(report, involved, console)


@app.command("add-source")
def add_source(
    source_id: Annotated[str, typer.Option("--id", help="A lower-case slug, e.g. eurasianet-2025.")],
    title: Annotated[str, typer.Option("--title", help="The document's title.")],
    url: Annotated[Optional[str], typer.Option("--url")] = None,  # noqa: UP045
    publisher: Annotated[Optional[str], typer.Option("--publisher")] = None,  # noqa: UP045
    author: Annotated[Optional[list[str]], typer.Option("--author", help="Repeatable.")] = None,  # noqa: UP045
    published: Annotated[Optional[str], typer.Option("--published", help="YYYY, YYYY-MM or YYYY-MM-DD.")] = None,  # noqa: UP045
    source_type: Annotated[Optional[str], typer.Option("--type", help="news, analysis, policy-brief, official, "  # noqa: UP045
                                                       "academic, dataset or other.")] = None,
    text: Annotated[Optional[str], typer.Option("--text", help="Local copy, relative to the new file.")] = None,  # noqa: UP045
    based_on: Annotated[Optional[list[str]], typer.Option(  # noqa: UP045
        "--based-on", metavar="SOURCE-ID", help="A source this one copies its figures from (repeatable).")] = None,
    file: Annotated[Optional[Path], typer.Option("--file", help="Where to create it.")] = None,  # noqa: UP045
    claims_dir: ClaimsDir = None,
) -> None:
    """Create a source file (in sources/ when the folder has one)."""
    from claimtrack.authoring import add_source as create

    authors: str | list[str] | None = author[0] if author and len(author) == 1 else (author or None)
    fields = {"id": source_id, "title": title, "publisher": publisher, "author": authors, "published": published,
              "url": url, "type": source_type, "text": text, "based_on": list(based_on) if based_on else None}
    edited = _apply_edit(lambda folder: create(folder, fields, file), claims_dir)
    _stdout().print(f"created {edited.path}", highlight=False)


@app.command("add-topic")
def add_topic(
    key: Annotated[str, typer.Argument(help="A lower-case slug, e.g. border-length.")],
    title: Annotated[str, typer.Option("--title", help="What the topic is.")],
    kind: Annotated[str, typer.Option("--kind", help="quantity, date, text or boolean.")] = "quantity",
    unit: Annotated[Optional[str], typer.Option("--unit", help="Canonical unit; omit for counts.")] = None,  # noqa: UP045
    alias: Annotated[Optional[list[str]], typer.Option("--alias", help="Repeatable.")] = None,  # noqa: UP045
    tolerance: Annotated[Optional[str], typer.Option("--tolerance", help='e.g. "1%" or "5 km".')] = None,  # noqa: UP045
    approx: Annotated[Optional[str], typer.Option("--approx", help='How far "about" reaches (default 10%).')] = None,  # noqa: UP045
    claims_dir: ClaimsDir = None,
) -> None:
    """Register a topic in topics.yaml."""
    from claimtrack.authoring import add_topic as register

    fields = {"title": title, "kind": kind, "unit": unit, "aliases": list(alias or []), "tolerance": tolerance,
              "approx": approx}
    edited = _apply_edit(lambda folder: register(folder, key, fields), claims_dir)
    _stdout().print(f"registered topic {key} in {edited.path}", highlight=False)


@app.command()
def resolve(
    topic: Annotated[str, typer.Argument(help="Topic key, alias, or a close spelling.")],
    status: Annotated[ResolutionStatus, typer.Option("--status", help="The verdict.")],
    note: Annotated[str, typer.Option("--note", help="Why: what explains or what is contested.")],
    preferred: Annotated[Optional[str], typer.Option("--preferred", help="The value to prefer.")] = None,  # noqa: UP045
    claims_dir: ClaimsDir = None,
) -> None:
    """Record a resolution covering the topic's current conflicting claims."""
    from claimtrack.authoring import resolve as record

    edited = _apply_edit(lambda folder: record(folder, topic, status.value, note, preferred), claims_dir)
    key = edited.topic_key or topic
    _stdout().print(f"recorded: {key} is now {edited.report.status(key)}", highlight=False)


class ExtractFormat(str, Enum):
    yaml = "yaml"
    json = "json"


@app.command()
def extract(
    file: Annotated[Path, typer.Argument(help="A plain-text, Markdown or HTML document.")],
    source: Annotated[Optional[str], typer.Option("--source", "-s", help="Source id for the YAML header.")] = None,  # noqa: UP045
    fmt: Annotated[ExtractFormat, typer.Option("--format", "-f", help="Output format.")] = ExtractFormat.yaml,
    claims_dir: ClaimsDir = None,
) -> None:
    """Propose candidate claims: every figure, percentage, sum, count or date, with its sentence and a topic."""
    from claimtrack.extract import document_text, extract_candidates
    from claimtrack.render import extraction

    try:
        raw = file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        _fail(ClaimtrackError(f"cannot read {file}: {getattr(error, 'strerror', None) or error}"))
    topics = _topics_if_any(claims_dir)
    text, line_map = document_text(file, raw)
    candidates = extract_candidates(text, topics, line_map)
    render = extraction.yaml if fmt is ExtractFormat.yaml else extraction.json
    render(candidates, file, source, _stdout())


def _topics_if_any(claims_dir: Path | None) -> dict[str, Topic]:
    """The topic registry when a claims folder is at hand (suggestions need it); else none."""
    from claimtrack.dataset import find_claims_folder, load_folder

    try:
        return load_folder(find_claims_folder(claims_dir)).topics
    except ClaimtrackError:
        return {}


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(help="Where to create the claims repository.")] = Path("."),
) -> None:
    """Scaffold a claims repository: topics.yaml, an example source, schemas, pre-commit and CI workflow."""
    from claimtrack.scaffold import scaffold

    console = _stdout()
    for item in scaffold(directory):
        state = "[green]created[/]" if item.written else "[yellow]exists, left as it was[/]"
        console.print(f"{state}  {item.path}", highlight=False)
    console.print(f"Next: edit {directory / 'claims'}, then run `claimtrack check --dir {directory / 'claims'}`.",
                  highlight=False)


def main() -> None:
    """Console-script entry point: run the app; no Python traceback ever reaches the user."""
    if sys.argv[1:] == ["--version"]:  # the fast path: no typer, rich or pydantic import needed
        print(f"claimtrack {__version__}")
        return
    # One short run builds a few million objects, none of them in reference cycles; the collector's passes
    # over them cost a third of a cold run at 100,000 claims, and they all live until the process exits.
    gc.disable()
    # SIGTERM (a CI job cancelled, `timeout`, `docker stop`) unwinds like ^C: every write in progress removes
    # its temporary file on the way out, where the default action would leave it behind.
    import signal

    signal.signal(signal.SIGTERM, _terminated)
    code: int | str | None
    try:
        app()
        code = ExitCode.OK
    except SystemExit as done:
        code = done.code
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        code = 130
    except Exception as error:  # noqa: BLE001 — the one boundary where any failure becomes a message
        sys.stderr.write(f"claimtrack: internal error: {type(error).__name__}: {error}\n"
                         "please report this with the command you ran\n")
        code = ExitCode.USAGE
    _exit_at_once(code)


def _terminated(signum: int, frame: object) -> NoReturn:
    raise SystemExit(128 + signum)


def _exit_at_once(code: int | str | None) -> NoReturn:
    """Flush and leave without tearing the heap down object by object: at 100,000 claims Python's own exit
    spent 4.8 s freeing what the analysis built (mypy exits this way for the same reason). Every file we
    write is closed (and fsynced) before this point."""
    if isinstance(code, str):
        sys.stderr.write(f"{code}\n")
    status = code if isinstance(code, int) else (0 if code is None else 1)
    from claimtrack.parallel import finish_background

    try:
        finish_background()  # a cache still being written (a command that failed after its analysis)
    except KeyboardInterrupt:  # ^C while waiting: the child was interrupted too, and leaves no file behind
        status = 130
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):  # the reader went away (`| head`), or a stream was closed
        pass
    os._exit(status)
