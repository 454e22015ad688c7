"""Command line (typer): the only module that parses options, prints diagnostics or exits."""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, Optional, TypeVar

import typer
import typer.core

from claimtrack import __version__
from claimtrack.errors import ClaimtrackError, ExitCode
from claimtrack.export import ExportFormat
from claimtrack.render import (
    CheckFormat,
    ClaimsFormat,
    ConflictsFormat,
    ConsensusFormat,
    ListFormat,
    ShowFormat,
    guard_of,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from rich.console import Console
    from typer._click import Command, Context, Parameter

    from claimtrack.authoring import Changed, Edited
    from claimtrack.dataset import Topic
    from claimtrack.render.progress import FileProgress
    from claimtrack.render.safe import Guard
    from claimtrack.report import Report


_Done = TypeVar("_Done")


class ResolutionStatus(str, Enum):
    explained = "explained"
    accepted = "accepted"
    disputed = "disputed"


class _InWords(typer.core.TyperGroup):
    """The command group, with help in words: typer prints a parameter's Python type where it has no metavar
    (`<bool>` after a flag, which takes no value; `<list[str]>`, `<str>` beside an argument's name): a flag
    shows nothing there, an argument its name (its metavar), an option its metavar (every option that takes
    a value has one)."""

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            _in_words(command, ctx)
        return command

    def get_params(self, ctx: Context) -> list[Parameter]:
        _in_words(self, ctx)
        return super().get_params(ctx)


def _in_words(command: Command, ctx: Context) -> None:
    for param in (*command.params, command.get_help_option(ctx)):
        if param is None:
            continue
        if isinstance(param, typer.core.TyperArgument):
            param.display_type_rich = _no_type  # type: ignore[method-assign]
            if param.metavar is None:
                param.metavar = (param.name or "value").upper()
        elif param.metavar is None and isinstance(param, typer.core.TyperOption):
            if param.is_flag:
                param.metavar = ""
            elif "|" not in (param.display_type_rich(ctx) or ""):  # (a choice shows its words: <table|json>)
                param.metavar = max(param.opts, key=len).lstrip("-").upper()


def _no_type(ctx: Context) -> None:
    return None


app = typer.Typer(
    name="claimtrack",
    help="Keep the factual claims of many documents as YAML records and show where they contradict each other.",
    no_args_is_help=True,
    add_completion=True,
    cls=_InWords,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

ClaimsDir = Annotated[
    Optional[Path],  # noqa: UP045 — typer needs Optional on Python 3.11
    typer.Option("--dir", "-d", envvar="CLAIMTRACK_DIR", show_envvar=True, metavar="DIR",
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


def _stdout(guard: Guard = "text") -> Console:
    """Standard output for people (or JSON, with guard="json"): no rich markup, emoji codes or highlighting
    is read from what is printed, and no line of it is a CI workflow command (render/safe.py)."""
    from rich.console import Console

    from claimtrack.render.safe import GuardedFile

    return Console(file=GuardedFile(sys.stdout, guard), markup=False, emoji=False, highlight=False,  # type: ignore[arg-type]
                   width=_width())


def _stderr() -> Console:
    from rich.console import Console

    from claimtrack.render.safe import GuardedFile

    return Console(file=GuardedFile(sys.stderr), markup=False, emoji=False, highlight=False,  # type: ignore[arg-type]
                   width=_width())


def _say(console: Console, *parts: str | tuple[str, str], soft_wrap: bool = False) -> None:
    """A message for people: every part (a string, or a string and its style) is text shown safely
    (render.safe.shown), never rich markup; a folder named `proj[/b]` is printed as it is named."""
    from rich.text import Text

    from claimtrack.render.safe import shown

    console.print(Text.assemble(*(shown(part) if isinstance(part, str) else (shown(part[0]), part[1])
                                  for part in parts)), soft_wrap=soft_wrap)


def _fail(error: ClaimtrackError) -> NoReturn:
    console = _stderr()
    # one line however long (a log reader greps for it)
    _say(console, ("error:", "bold red"), " ", error.message, soft_wrap=True)
    if error.suggestions:
        _say(console, f"did you mean: {', '.join(error.suggestions)}?", soft_wrap=True)
    raise typer.Exit(ExitCode.USAGE)


def _folder(claims_dir: Path | None) -> Path:
    from claimtrack.dataset import find_claims_folder

    try:
        return find_claims_folder(claims_dir)
    except ClaimtrackError as error:
        _fail(error)


def _serve(claims_dir: Path | None, key: str, body: Callable[[Report, Console, Console], int], *,
           check: bool = False, only: list[Path] | None = None, only_topics: frozenset[str] = frozenset(),
           cacheable: bool = True, guard: Guard | None = "text") -> NoReturn:
    """Analyse the folder, let `body` render into (stdout, stderr) and exit with its code.

    The whole output is kept in the cache (cache.OutputCache) and served again while no file it read has
    changed; the key holds everything else the output depends on (arguments, terminal, working directory).
    `guard` is how standard output is kept from holding CI workflow commands (render/safe.py): "text" for
    people, "json" for JSON, None for the github format, whose lines are commands by design; standard error
    is always for people.
    """
    from rich.console import Console

    from claimtrack.cache import OutputCache
    from claimtrack.parallel import finish_background
    from claimtrack.render.safe import GuardedFile
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
    report = analyze(folder, check=check, only=only, only_topics=only_topics, save_in_background=True,
                     progress=_progress())
    try:  # the file cache is being written meanwhile: done when this command is, however it ends
        sys.stdout.flush()
        # an output past SPILL_BYTES goes out as it is made and is not cached (it would be held twice over)
        sinks = [ByteSink(sys.stdout.buffer, SPILL_BYTES), ByteSink()]
        files = [GuardedFile(sinks[0], guard) if guard else sinks[0], GuardedFile(sinks[1])]  # type: ignore[arg-type]
        captured = [Console(file=file, width=c.width, color_system=c.color_system,  # type: ignore[arg-type]
                            force_terminal=c.is_terminal, no_color=c.no_color, highlight=False, markup=False,
                            emoji=False)
                    for file, c in zip(files, (out, err), strict=True)]
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


def _progress() -> FileProgress | None:
    """A transient progress bar on the terminal (never in the cached output) for a long reading of files."""
    from claimtrack.render.progress import file_progress

    return file_progress()


def _matched(word: str, topics: dict[str, Topic], err: Console) -> Topic:
    """The topic `word` names (dataset.match_topic); a guess (a prefix, a close spelling) is said on stderr."""
    from claimtrack.dataset import match_topic

    found = match_topic(word, topics)
    _note_guess(word, found.topic.key, found.guessed, err)
    return found.topic


def _note_guess(word: str, name: str, guessed: bool, err: Console) -> None:
    if guessed:
        _say(err, f"note: showing {name!r} for {word!r}", soft_wrap=True)


def _write_bytes(stdout: bytes, stderr: bytes) -> None:
    """Captured output, as the UTF-8 it was kept in."""
    for stream, data in ((sys.stdout, stdout), (sys.stderr, stderr)):
        try:
            stream.flush()
            stream.buffer.write(data)
            stream.buffer.flush()
        except BrokenPipeError:
            raise
        except OSError as error:  # a full disk, a closed terminal: one line, not an internal error
            name = "standard output" if stream is sys.stdout else "standard error"
            raise ClaimtrackError(f"cannot write {name}: {error.strerror or error}") from None


def _warn_problems(report: Report, console: Console) -> None:
    """Listing commands still work on broken files, but say so on stderr."""
    errors = report.errors
    if not errors:
        return
    for problem in errors[:5]:
        _say(console, ("warning:", "yellow"), " ", str(problem), soft_wrap=True)
    more = f" ({len(errors) - 5} more)" if len(errors) > 5 else ""
    _say(console, ("warning:", "yellow"), f" {len(errors)} problem(s) in the claim files{more}; "
         "run `claimtrack check` for all of them")


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
    topic: Annotated[Optional[list[str]], typer.Option("--topic", "-t", metavar="TOPIC",  # noqa: UP045
                                                       help="Only these topics (repeatable).")] = None,
    show_all: Annotated[bool, typer.Option("--all", "-a", help="Also list resolved topics.")] = False,
    fmt: Annotated[ConflictsFormat, typer.Option("--format", "-f", help="Output format.")] = ConflictsFormat.table,
    claims_dir: ClaimsDir = None,
) -> None:
    """Every topic in conflict, its claims grouped by value with sources and quotes, most severe first."""
    from claimtrack.render import conflicts_renderers

    def body(report: Report, out: Console, err: Console) -> int:
        keys = [_matched(word, report.dataset.topics, err).key for word in topic or ()]
        _warn_problems(report, err)
        chosen = report.ordered_conflicts(include_resolved=show_all or bool(keys), topics=keys)
        conflicts_renderers()[fmt](report, chosen, out)
        return ExitCode.OK

    _serve(claims_dir, f"conflicts:{topic}:{show_all}:{fmt.value}", body, guard=guard_of(fmt))


@app.command()
def show(
    name: Annotated[str, typer.Argument(metavar="TOPIC|SOURCE-ID", help="A topic (key, alias, or a close spelling) "
                                        "or a source's id.")],
    fmt: Annotated[ShowFormat, typer.Option("--format", "-f", help="Output format.")] = ShowFormat.table,
    claims_dir: ClaimsDir = None,
) -> None:
    """One topic: all its claims by value, a number line (or timeline) of their intervals, conflicts marked. Or
    one source: its details and its claims, each marked when it is in a conflict."""
    from claimtrack.dataset import match_subject
    from claimtrack.render import show_renderers, source_renderers

    def body(report: Report, out: Console, err: Console) -> int:
        found = match_subject(name, report.dataset.topics, report.dataset.sources)
        _note_guess(name, found.topic.key if found.topic else found.source.id if found.source else name,
                    found.guessed, err)
        _warn_problems(report, err)
        if found.topic is not None:
            show_renderers()[fmt](report, found.topic, out)
        elif found.source is not None:
            source_renderers()[fmt](report, found.source, out)
        return ExitCode.OK

    _serve(claims_dir, f"show:{name}:{fmt.value}", body, guard=guard_of(fmt))


@app.command()
def claims(
    source: Annotated[Optional[str], typer.Option("--source", "-s", metavar="SOURCE-ID",  # noqa: UP045
                                                  help="Only this source's claims (its exact id).")] = None,
    topic: Annotated[Optional[str], typer.Option("--topic", "-t", metavar="TOPIC",  # noqa: UP045
                                                 help="Only claims on this topic (key, alias, or a close "
                                                      "spelling).")] = None,
    grep: Annotated[Optional[str], typer.Option("--grep", "-g", metavar="TEXT",  # noqa: UP045
                                                help="Only claims whose id, value, quote, note, attributed_to or "
                                                     "as_of holds TEXT, in any case.")] = None,
    fmt: Annotated[ClaimsFormat, typer.Option("--format", "-f", help="Output format.")] = ClaimsFormat.table,
    claims_dir: ClaimsDir = None,
) -> None:
    """The claims, in the folder's order: every one, or those the filters choose (all of them apply)."""
    from claimtrack.dataset import select_claims
    from claimtrack.render import claims_renderers

    def body(report: Report, out: Console, err: Console) -> int:
        key = _matched(topic, report.dataset.topics, err).key if topic is not None else None
        chosen = select_claims(report.dataset, source, key, grep)
        _warn_problems(report, err)
        if not chosen and fmt is ClaimsFormat.table:
            _say(err, "no claims match")
            return ExitCode.OK
        claims_renderers()[fmt](report, chosen, out)
        return ExitCode.OK

    _serve(claims_dir, f"claims:{source}:{topic}:{grep}:{fmt.value}", body, guard=guard_of(fmt))


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

    _serve(claims_dir, f"topics:{fmt.value}", body, guard=guard_of(fmt))


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

    _serve(claims_dir, f"sources:{fmt.value}", body, guard=guard_of(fmt))


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
            _say(err, str(problem), soft_wrap=True)
        if exported.paths:
            _say(err, f"exported {plural(exported.count, exported.noun)} to {', '.join(map(str, exported.paths))}",
                 soft_wrap=True)
        return ExitCode.OK

    _serve(claims_dir, f"export:{fmt.value}", body, cacheable=False, guard=guard_of(fmt))


@app.command()
def check(
    paths: Annotated[Optional[list[Path]], typer.Argument(  # noqa: UP045
        metavar="PATH", help="Claim files (or folders) to judge (default: all).")] = None,
    changed_since: Annotated[Optional[str], typer.Option("--changed-since", metavar="REF",  # noqa: UP045
                                                         help="Judge only files changed since this git ref.")] = None,
    fmt: Annotated[CheckFormat, typer.Option("--format", "-f", help="Output format.")] = CheckFormat.text,
    claims_dir: ClaimsDir = None,
) -> None:
    """Validate claim files and report unresolved conflicts; exit 1 if anything is wrong (the CI gate)."""
    from claimtrack.render import check_renderers

    only: list[Path] | None = list(paths) if paths else None
    topics: frozenset[str] = frozenset()
    for path in only or ():
        _check_named(path, _folder(claims_dir))
    if changed_since is not None:
        from claimtrack.gitfiles import changes_since

        try:
            changes = changes_since(changed_since, _folder(claims_dir))
        except ClaimtrackError as error:
            _fail(error)
        only, topics = [*(only or []), *changes.files], frozenset(changes.topics)

    def body(report: Report, out: Console, err: Console) -> int:
        check_renderers()[fmt](report, out)
        return report.exit_code

    # with --changed-since the answer depends on git as well as on the files: never served from the cache
    key = f"check:{sorted(str(p.resolve()) for p in only or ())}:{fmt.value}"
    _serve(claims_dir, key, body, check=True, only=only, only_topics=topics, cacheable=changed_since is None,
           guard=guard_of(fmt))


def _check_named(path: Path, folder: Path) -> None:
    """A file (or folder) named to `check` is judged, or refused: never passed over without a word."""
    from claimtrack.loader import not_read

    if not os.path.lexists(path):  # (a dangling symlink is there: the walk reports it)
        _fail(ClaimtrackError(f"no such file: {path}"))
    reason = not_read(path, folder)
    if reason is not None:
        where = (f" {folder}: check judges that folder's files (--dir names another folder)"
                 if reason == "is not in the claims folder" else "")
        _fail(ClaimtrackError(f"cannot judge {path}: it {reason}{where}"))


@app.command()
def report(
    output: Annotated[str, typer.Option("--output", "-o", metavar="FILE",
                                        help="Where to write the page; '-' for standard output.")]
        = "claimtrack-report.html",
    title: Annotated[Optional[str], typer.Option("--title", metavar="TEXT",  # noqa: UP045
                                                 help="The page's heading (default: names the claims folder).")]
        = None,
    claims_dir: ClaimsDir = None,
) -> None:
    """One self-contained HTML page for editors: every topic in conflict as a range plot, with its quotes,
    sources and resolution (opens from disk, no network)."""
    from claimtrack.errors import ESCAPE
    from claimtrack.render.html import page
    from claimtrack.render.text import conflict_tally, plural
    from claimtrack.report import analyze
    from claimtrack.writer import write_output

    analysis = analyze(_folder(claims_dir), progress=_progress())
    _warn_problems(analysis, _stderr())
    html = page(analysis, title)
    if output == "-":
        _write_bytes(html.encode("utf-8", ESCAPE), b"")
        return
    try:
        write_output(Path(output), html)
    except ClaimtrackError as error:
        _fail(error)
    _say(_stdout(), f"wrote {output}: {plural(len(analysis.dataset.claims), 'claim')}; "
         f"{conflict_tally(analysis.conflicts.values())}", soft_wrap=True)


@app.command()
def consensus(
    topic: Annotated[Optional[list[str]], typer.Argument(  # noqa: UP045
        metavar="TOPIC", help="Only these topics (key, alias or a close spelling); all when omitted.")] = None,
    fmt: Annotated[ConsensusFormat, typer.Option("--format", "-f", help="Output format.")] = ConsensusFormat.table,
    claims_dir: ClaimsDir = None,
) -> None:
    """What the independent sources support, per topic and scope, and how reliable each source has been."""
    from claimtrack.render import consensus_renderers

    def body(report: Report, out: Console, err: Console) -> int:
        chosen = [_matched(word, report.dataset.topics, err) for word in topic or ()]
        _warn_problems(report, err)
        consensus_renderers()[fmt](report, chosen, out)
        return ExitCode.OK

    _serve(claims_dir, f"consensus:{topic}:{fmt.value}", body, guard=guard_of(fmt))


class UnitsFormat(str, Enum):
    table = "table"
    json = "json"


@app.command()
def units(
    dimension: Annotated[Optional[str], typer.Argument(  # noqa: UP045
        help="Only units of this dimension: length, area, volume, flow, mass, energy, power, voltage, speed, "
             "duration, percent or currency.")] = None,
    fmt: Annotated[UnitsFormat, typer.Option("--format", "-f", help="Output format.")] = UnitsFormat.table,
) -> None:
    """The units values may be written in, with the other spellings read as each."""
    from claimtrack.models import did_you_mean
    from claimtrack.render.units import units_json, units_table
    from claimtrack.units import UNITS

    dimensions = sorted({unit.dimension.split(":", 1)[0] for unit in UNITS.values()})
    if dimension is not None and dimension not in dimensions:
        _fail(ClaimtrackError(f"unknown dimension {dimension!r}{did_you_mean(dimension, dimensions)}; one of "
                              f"{', '.join(dimensions)}"))
    (units_json if fmt is UnitsFormat.json else units_table)(_stdout(), dimension)


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


def _apply_edit(edit: Callable[[Path], _Done], claims_dir: Path | None) -> _Done:
    """Run an authoring operation; a refusal prints its problems and exits 2 with nothing written."""
    from claimtrack.authoring import EditRefused

    folder = _folder(claims_dir)
    try:
        return edit(folder)
    except EditRefused as refused:
        console = _stderr()
        for problem in refused.problems:
            _say(console, str(problem), soft_wrap=True)
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
    source: Annotated[str, typer.Option("--source", "-s", metavar="SOURCE-ID", help="The source's id.")],
    topic: Annotated[str, typer.Option("--topic", "-t", help="The topic's key.")],
    value: Annotated[str, typer.Option("--value", "-v", help='What the source says, e.g. "more than 1,400 km".')],
    quote: Annotated[str, typer.Option("--quote", "-q", help="The source's words, verbatim.")],
    as_of: Annotated[Optional[str], typer.Option("--as-of", metavar="DATE", help="When the value holds.")] = None,  # noqa: UP045
    attributed_to: Annotated[Optional[str], typer.Option("--attributed-to", metavar="NAME",  # noqa: UP045
                                                         help="Who the source reports.")] = None,
    qualifier: Annotated[Optional[list[str]], typer.Option("--qualifier", metavar="KEY=VALUE",  # noqa: UP045
                                                           help="What exactly is measured (repeatable).")] = None,
    claim_id: Annotated[Optional[str], typer.Option("--id", metavar="CLAIM-ID",  # noqa: UP045
                                                    help="Claim id (default: the topic key).")] = None,
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
    _say(console, f"added {edited.claim_id} to {edited.path}")
    report = edited.report
    involved = [c for c in report.conflicts.values() if edited.claim_id in c.claim_ids]
    if not involved:
        _say(console, "it agrees with every claim on its topic")
        return
    table.conflicts(report, involved, console)


@app.command("add-source")
def add_source(
    source_id: Annotated[str, typer.Option("--id", metavar="SOURCE-ID",
                                           help="A lower-case slug, e.g. eurasianet-2025.")],
    title: Annotated[str, typer.Option("--title", help="The document's title.")],
    url: Annotated[Optional[str], typer.Option("--url", help="Where the document is online.")] = None,  # noqa: UP045
    publisher: Annotated[Optional[str], typer.Option("--publisher", metavar="NAME",  # noqa: UP045
                                                     help="Who published the document.")] = None,
    author: Annotated[Optional[list[str]], typer.Option("--author", metavar="NAME",  # noqa: UP045
                                                        help="An author (repeatable).")] = None,
    published: Annotated[Optional[str], typer.Option("--published", metavar="DATE",  # noqa: UP045
                                                     help="YYYY, YYYY-MM or YYYY-MM-DD.")] = None,
    source_type: Annotated[Optional[str], typer.Option("--type", help="news, analysis, policy-brief, official, "  # noqa: UP045
                                                       "academic, dataset or other.")] = None,
    text: Annotated[Optional[str], typer.Option("--text", metavar="PATH",  # noqa: UP045
                                                help="Local copy, relative to the new file.")] = None,
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
    _say(_stdout(), f"created {edited.path}")


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
    _say(_stdout(), f"registered topic {key} in {edited.path}")


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
    _say(_stdout(), f"recorded: {key} is now {edited.report.status(key)}")


@app.command()
def edit(
    claim_id: Annotated[str, typer.Argument(metavar="CLAIM-ID", help="The claim: SOURCE-ID/CLAIM-ID.")],
    value: Annotated[Optional[str], typer.Option("--value", "-v", help="The new value.")] = None,  # noqa: UP045
    quote: Annotated[Optional[str], typer.Option("--quote", "-q", help="The new quote, verbatim.")] = None,  # noqa: UP045
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="When the value holds; '' removes it.")] = None,  # noqa: UP045
    attributed_to: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--attributed-to", help="Who the source reports; '' removes it.")] = None,
    note: Annotated[Optional[str], typer.Option("--note", help="Free text; '' removes it.")] = None,  # noqa: UP045
    claims_dir: ClaimsDir = None,
) -> None:
    """Change fields of one claim in place (only those given), then show the conflicts it takes part in."""
    from claimtrack.authoring import edit_claim

    changes = {"value": value, "quote": quote, "as_of": as_of, "attributed_to": attributed_to, "note": note}
    changed = _apply_edit(lambda folder: edit_claim(folder, claim_id, changes), claims_dir)
    _report_changed(changed)
    if changed.paths:
        _show_involved(changed.report, claim_id)


@app.command()
def remove(
    claim_id: Annotated[str, typer.Argument(metavar="CLAIM-ID", help="The claim: SOURCE-ID/CLAIM-ID.")],
    claims_dir: ClaimsDir = None,
) -> None:
    """Delete a claim from its source file; a resolution that covers it stops covering it."""
    from claimtrack.authoring import remove_claim

    _report_changed(_apply_edit(lambda folder: remove_claim(folder, claim_id), claims_dir))


@app.command("rename-topic")
def rename_topic(
    old: Annotated[str, typer.Argument(metavar="OLD", help="The topic's key now.")],
    new: Annotated[str, typer.Argument(metavar="NEW", help="Its new key, a lower-case slug.")],
    no_alias: Annotated[bool, typer.Option("--no-alias", help="Do not keep the old key as an alias.")] = False,
    keep_ids: Annotated[bool, typer.Option(
        "--keep-ids", help="Claims without `id:` keep their ids (written as `id:`) instead of following the "
        "new key.")] = False,
    claims_dir: ClaimsDir = None,
) -> None:
    """Rename a topic key everywhere: topics.yaml, every claim's topic, every resolution's covers."""
    from claimtrack.authoring import rename_topic as rename

    _report_changed(_apply_edit(lambda folder: rename(folder, old, new, alias=not no_alias, keep_ids=keep_ids),
                                claims_dir))


@app.command("merge-topics")
def merge_topics(
    source: Annotated[str, typer.Argument(metavar="FROM", help="The topic to merge away.")],
    into: Annotated[str, typer.Argument(metavar="INTO", help="The topic that receives its claims.")],
    claims_dir: ClaimsDir = None,
) -> None:
    """Move every claim of FROM to INTO; FROM's key and aliases become INTO's aliases and its entry goes."""
    from claimtrack.authoring import merge_topics as merge

    _report_changed(_apply_edit(lambda folder: merge(folder, source, into), claims_dir))


def _report_changed(changed: Changed) -> None:
    """What an edit did (standard output), what to look at (standard error), and what `check` says now that
    it did not say before."""
    out, err = _stdout(), _stderr()
    paths = [str(path) for path in changed.paths]
    if paths:
        more = f" and {len(paths) - 5} more file(s)" if len(paths) > 5 else ""
        _say(out, f"wrote {', '.join(paths[:5])}{more}", soft_wrap=True)
    for note in changed.notes:
        _say(out, note, soft_wrap=True)
    for warning in changed.warnings:
        _say(err, ("warning:", "yellow"), " ", warning, soft_wrap=True)
    findings = changed.findings
    if findings:
        _say(out, "check now also says:")
        for problem in findings[:10]:
            _say(out, f"  {problem}", soft_wrap=True)
        if len(findings) > 10:
            _say(out, f"  … and {len(findings) - 10} more (claimtrack check)")


def _show_involved(report: Report, claim_id: str) -> None:
    from claimtrack.render import table

    console = _stdout()
    involved = [c for c in report.conflicts.values() if claim_id in c.claim_ids]
    if not involved:
        _say(console, "it agrees with every claim on its topic")
        return
    table.conflicts(report, involved, console)


class ExtractFormat(str, Enum):
    yaml = "yaml"
    json = "json"


@app.command()
def extract(
    file: Annotated[Path, typer.Argument(help="A plain-text, Markdown or HTML document.")],
    source: Annotated[Optional[str], typer.Option("--source", "-s", metavar="SOURCE-ID",  # noqa: UP045
                                                  help="Source id for the YAML header.")] = None,
    fmt: Annotated[ExtractFormat, typer.Option("--format", "-f", help="Output format.")] = ExtractFormat.yaml,
    claims_dir: ClaimsDir = None,
) -> None:
    """Propose candidate claims: every figure, percentage, sum, count or date, with its sentence and a topic."""
    from claimtrack.extract import document_text, extract_candidates, text_reference
    from claimtrack.models import SLUG
    from claimtrack.render import extraction

    if source is not None and not SLUG.fullmatch(source):
        _fail(ClaimtrackError(f"--source must be a source id, a lower-case slug (letters, digits, '-', '_' or '.', "
                              f"e.g. eurasianet-2025), not {source!r}"))
    try:
        raw = file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        _fail(ClaimtrackError(f"cannot read {file}: {getattr(error, 'strerror', None) or error}"))
    folder = _folder_if_any(claims_dir)
    topics = _topics_if_any(folder)
    text, line_map = document_text(file, raw)
    candidates = extract_candidates(text, topics, line_map)
    render = extraction.yaml if fmt is ExtractFormat.yaml else extraction.json
    render(candidates, file, source, text_reference(file, folder), _stdout("text" if fmt is ExtractFormat.yaml
                                                                           else "json"))


def _folder_if_any(claims_dir: Path | None) -> Path | None:
    """The claims folder when one is at hand (extract works without one)."""
    from claimtrack.dataset import find_claims_folder

    try:
        return find_claims_folder(claims_dir)
    except ClaimtrackError:
        return None


def _topics_if_any(folder: Path | None) -> dict[str, Topic]:
    """The topic registry of the claims folder, if any (suggestions need it); else none."""
    from claimtrack.dataset import load_folder

    if folder is None:
        return {}
    try:
        return load_folder(folder).topics
    except ClaimtrackError:
        return {}


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(help="Where to create the claims repository.")] = Path("."),
    requirement: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--requirement", metavar="PIP-REQUIREMENT",
        help="How the CI workflow installs claimtrack, e.g. 'claimtrack @ git+https://HOST/OWNER/claimtrack@COMMIT'"
             " or a wheel URL (default: where this claimtrack was installed from, when pip recorded it).")] = None,
) -> None:
    """Scaffold a claims repository: topics.yaml, an example source, schemas, pre-commit and CI workflow."""
    from claimtrack.scaffold import WORKFLOW_PATH, installed_from, scaffold

    if requirement is not None and (not requirement.strip() or not requirement.isprintable()):
        _fail(ClaimtrackError("--requirement takes one pip requirement on one line, e.g. "
                              "'claimtrack @ git+https://HOST/OWNER/claimtrack@COMMIT'"))
    console = _stdout()
    placeholder = False
    try:
        for item in scaffold(directory, requirement):
            state = ("created", "green") if item.written else ("exists, left as it was", "yellow")
            _say(console, state, f"  {item.path}")
            placeholder |= item.written and item.path == directory / WORKFLOW_PATH
    except ClaimtrackError as error:  # a read-only folder, a full disk: one line naming the file
        _fail(error)
    if placeholder and requirement is None and installed_from() is None:
        _say(console, ("Before CI runs:", "yellow"), f" set CLAIMTRACK in {directory / WORKFLOW_PATH} to how CI "
             "installs claimtrack (a git URL pinned to a commit, or a wheel), or run init with --requirement.")
    _say(console, f"Next: edit {directory / 'claims'}, then run `claimtrack check --dir {directory / 'claims'}`.")


def main() -> None:
    """Console-script entry point: run the app; no Python traceback ever reaches the user."""
    if sys.argv[1:] == ["--version"]:  # the fast path: no typer, rich or pydantic import needed
        print(f"claimtrack {__version__}")
        return
    # One short run builds a few million objects, none of them in reference cycles; the collector's passes
    # over them cost a third of a cold run at 100,000 claims, and they all live until the process exits.
    gc.disable()
    _escape_streams()
    # SIGTERM (a CI job cancelled, `timeout`, `docker stop`) unwinds like ^C: every write in progress removes
    # its temporary file on the way out, where the default action would leave it behind.
    import signal

    signal.signal(signal.SIGTERM, _terminated)
    code: int | str | None
    try:
        app(prog_name="claimtrack")  # (not `python -m claimtrack`: the name in help, and in shell completion)
        code = ExitCode.OK
    except SystemExit as done:
        code = done.code
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        code = 130
    except (ClaimtrackError, OSError) as error:
        code = _output_failed(error)
    except Exception as error:  # noqa: BLE001 — the one boundary where any failure becomes a message
        from claimtrack.render.safe import shown

        # one line: what an exception says may quote data (a file name, a value) with any character in it
        sys.stderr.write(f"claimtrack: internal error: {shown(f'{type(error).__name__}: {error}')}\n"
                         "please report this with the command you ran\n")
        code = ExitCode.USAGE
    _exit_at_once(code)


def _output_failed(error: ClaimtrackError | OSError) -> int:
    """A failure after the command's own work: writing its output (a full disk, a closed terminal) is one line;
    any other OSError is an internal error, as everywhere."""
    import errno

    from claimtrack.render.safe import shown

    if isinstance(error, ClaimtrackError):
        message = error.message
    elif error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EFBIG):
        message = f"cannot write the output: {error.strerror or error}"
    else:
        message = None
    with contextlib.suppress(OSError):  # (standard error may be as full as standard output)
        sys.stderr.write(f"error: {shown(message)}\n" if message is not None else
                         f"claimtrack: internal error: {shown(f'{type(error).__name__}: {error}')}\n"
                         "please report this with the command you ran\n")
    return ExitCode.USAGE


def _escape_streams() -> None:
    """Standard output and error write what they cannot encode (a file name that is not UTF-8, from the
    folder, an argument or the working directory) as every output does (errors.ESCAPE), never crashing."""
    from claimtrack.errors import ESCAPE

    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors=ESCAPE)


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
