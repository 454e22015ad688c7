"""`claimtrack units`: the units values may be written in, as a table or as JSON."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text

from claimtrack.units import Unit, base_symbol, known_units

if TYPE_CHECKING:
    from rich.console import Console


def _selected(dimension: str | None) -> list[tuple[Unit, tuple[str, ...]]]:
    """The units of `dimension` ('currency' takes every currency), or all."""
    return [(unit, spellings) for unit, spellings in known_units()
            if not dimension or dimension in (unit.dimension, unit.dimension.split(":", 1)[0])]


def units_table(console: Console, dimension: str | None) -> None:
    table = Table(title="Units", title_justify="left", expand=True)
    table.add_column("Unit", no_wrap=True)
    table.add_column("Measures", no_wrap=True)
    table.add_column("Is", justify="right", no_wrap=True)
    table.add_column("Also written", ratio=1)
    for unit, spellings in _selected(dimension):
        base = base_symbol(unit.dimension)
        worth = "" if unit.symbol == base else f"{_number(unit.factor)} {base}"
        table.add_row(Text(unit.symbol, "bold"), unit.dimension.replace(":", " "), worth, ", ".join(spellings))
    console.print(table)
    console.print(Text("A topic's `unit:` is one of these; a value in another unit of the same dimension is "
                       "converted to it. Currencies are compared only with themselves.", style="dim"))


def _number(factor: float) -> str:
    """1000.0 -> '1,000'; 1609.344 -> '1,609.344'; 1e9 -> '1e+09'; 0.0283168 -> '0.028317' (JSON has every
    digit)."""
    if factor >= 1e6:
        return f"{factor:.6g}"
    shown = f"{factor:,.6f}".rstrip("0").rstrip(".")
    return shown if shown != "0" else f"{factor:.3g}"


def units_json(console: Console, dimension: str | None) -> None:
    rows = [{"symbol": unit.symbol, "dimension": unit.dimension, "spellings": list(spellings),
             "factor": unit.factor, "base": base_symbol(unit.dimension)} for unit, spellings in _selected(dimension)]
    console.file.write(json.dumps({"units": rows}, indent=2, ensure_ascii=False) + "\n")
