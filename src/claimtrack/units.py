"""Units table for values: every unit word we understand, its dimension and its factor to that dimension's base.

A small table of our own rather than pint: claim values use a few dozen units, the table loads in
microseconds (pint costs ~0.5 s at start-up), and every alias a reader may meet is listed here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Unit:
    symbol: str  # canonical spelling, shown to users
    dimension: str  # "length", "percent", "currency:USD" …
    factor: float  # multiply a value in this unit by `factor` to get the dimension's base unit


_MILE = 1609.344
_FOOT = 0.3048
_DAY = 86400.0
_YEAR = 365.2425 * _DAY  # the mean Gregorian year
# symbol, dimension, factor, aliases (lower-case; plurals listed where they differ by more than "s")
_TABLE: tuple[tuple[str, str, float, tuple[str, ...]], ...] = (
    ("km", "length", 1000.0, ("kilometre", "kilometer", "kilometres", "kilometers", "kms")),
    ("m", "length", 1.0, ("metre", "meter", "metres", "meters")),
    ("cm", "length", 0.01, ("centimetre", "centimeter", "centimetres", "centimeters")),
    ("mm", "length", 0.001, ("millimetre", "millimeter", "millimetres", "millimeters")),
    ("mi", "length", _MILE, ("mile", "miles")),
    ("nmi", "length", 1852.0, ("nautical mile", "nautical miles")),
    ("ft", "length", _FOOT, ("foot", "feet")),
    ("yd", "length", 0.9144, ("yard", "yards")),
    ("km2", "area", 1e6, ("km²", "sq km", "sq. km", "square kilometre", "square kilometer", "square kilometres",
                          "square kilometers")),
    ("m2", "area", 1.0, ("m²", "sq m", "square metre", "square meter", "square metres", "square meters")),
    ("ha", "area", 1e4, ("hectare", "hectares")),
    ("acre", "area", 4046.8564224, ("acres",)),
    ("mi2", "area", _MILE**2, ("sq mi", "square mile", "square miles")),
    ("kg", "mass", 1.0, ("kilogram", "kilograms", "kilo", "kilos")),
    ("g", "mass", 0.001, ("gram", "grams")),
    ("t", "mass", 1000.0, ("tonne", "tonnes", "ton", "tons", "metric ton", "metric tons")),
    ("lb", "mass", 0.45359237, ("lbs", "pound", "pounds")),
    ("J", "energy", 1.0, ("joule", "joules")),
    ("kJ", "energy", 1e3, ()),
    ("MJ", "energy", 1e6, ()),
    ("GJ", "energy", 1e9, ()),
    ("TJ", "energy", 1e12, ()),
    ("PJ", "energy", 1e15, ()),
    ("Wh", "energy", 3600.0, ("watt-hour", "watt-hours", "watt hour", "watt hours")),
    ("kWh", "energy", 3.6e6, ("kilowatt-hour", "kilowatt-hours", "kilowatt hour", "kilowatt hours")),
    ("MWh", "energy", 3.6e9, ("megawatt-hour", "megawatt-hours", "megawatt hour", "megawatt hours")),
    ("GWh", "energy", 3.6e12, ("gigawatt-hour", "gigawatt-hours", "gigawatt hour", "gigawatt hours")),
    ("TWh", "energy", 3.6e15, ("terawatt-hour", "terawatt-hours", "terawatt hour", "terawatt hours")),
    ("W", "power", 1.0, ("watt", "watts")),
    ("kW", "power", 1e3, ("kilowatt", "kilowatts")),
    ("MW", "power", 1e6, ("megawatt", "megawatts", "MWe")),
    ("GW", "power", 1e9, ("gigawatt", "gigawatts", "GWe")),
    ("TW", "power", 1e12, ("terawatt", "terawatts")),
    ("hp", "power", 745.69987158227022, ("horsepower",)),  # mechanical horsepower
    ("V", "voltage", 1.0, ("volt", "volts")),
    ("kV", "voltage", 1e3, ("kilovolt", "kilovolts")),
    ("ml", "volume", 1e-6, ("millilitre", "milliliter", "millilitres", "milliliters")),
    ("l", "volume", 0.001, ("litre", "liter", "litres", "liters")),
    ("m3", "volume", 1.0, ("m³", "m^3", "cu m", "cubic metre", "cubic meter", "cubic metres", "cubic meters")),
    ("mcm", "volume", 1e6, ("million cubic metres", "million cubic meters", "million m3", "million m³")),
    ("bcm", "volume", 1e9, ("billion cubic metres", "billion cubic meters", "billion m3", "billion m³")),
    ("km3", "volume", 1e9, ("km³", "km^3", "cu km", "cubic km", "cubic kilometre", "cubic kilometer",
                            "cubic kilometres", "cubic kilometers")),
    ("ft3", "volume", _FOOT**3, ("ft³", "cu ft", "cubic foot", "cubic feet")),
    ("gal", "volume", 0.003785411784, ("gallon", "gallons", "us gallon", "us gallons")),  # US liquid gallon
    ("bbl", "volume", 0.158987294928, ("barrel", "barrels")),  # oil barrel, 42 US gallons
    ("m3/s", "flow", 1.0, ("m³/s", "m3/sec", "m³/sec", "cumec", "cumecs", "cubic metres per second",
                           "cubic meters per second", "cubic metre per second", "cubic meter per second")),
    ("l/s", "flow", 0.001, ("litres per second", "liters per second")),
    ("ft3/s", "flow", _FOOT**3, ("ft³/s", "cfs", "cubic feet per second")),
    ("km3/year", "flow", 1e9 / _YEAR, ("km³/year", "km3/yr", "km³/yr", "km3 per year", "km³ per year",
                                        "cubic km per year", "cubic kilometres per year",
                                        "cubic kilometers per year")),
    ("bcm/year", "flow", 1e9 / _YEAR, ("bcm/yr", "bcm per year", "billion cubic metres per year",
                                        "billion cubic meters per year")),
    ("km/h", "speed", 1000 / 3600, ("kph", "kmh", "km/hr", "km per hour", "kilometres per hour",
                                     "kilometers per hour")),
    ("m/s", "speed", 1.0, ("metres per second", "meters per second")),
    ("mph", "speed", _MILE / 3600, ("miles per hour",)),
    ("kn", "speed", 1852 / 3600, ("knot", "knots")),
    ("s", "duration", 1.0, ("sec", "secs", "second", "seconds")),
    ("min", "duration", 60.0, ("mins", "minute", "minutes")),
    ("h", "duration", 3600.0, ("hr", "hrs", "hour", "hours")),
    ("days", "duration", _DAY, ("day",)),
    ("weeks", "duration", 7 * _DAY, ("week", "wk", "wks")),
    ("months", "duration", 30.436875 * _DAY, ("month",)),  # mean Gregorian month
    ("years", "duration", _YEAR, ("year", "yr", "yrs")),
    ("%", "percent", 1.0, ("percent", "per cent", "pct", "percentage points", "percentage point", "pp")),
    ("USD", "currency:USD", 1.0, ("$", "us$", "dollar", "dollars", "us dollar", "us dollars", "usd")),
    ("EUR", "currency:EUR", 1.0, ("€", "euro", "euros", "eur")),
    ("GBP", "currency:GBP", 1.0, ("£", "pound sterling", "pounds sterling", "gbp")),
    ("RUB", "currency:RUB", 1.0, ("ruble", "rubles", "rouble", "roubles", "rub")),
    ("TJS", "currency:TJS", 1.0, ("somoni", "somonis", "tjs")),
    ("AFN", "currency:AFN", 1.0, ("afghani", "afghanis", "afn")),
    ("CNY", "currency:CNY", 1.0, ("yuan", "renminbi", "rmb", "cny")),
    ("UZS", "currency:UZS", 1.0, ("uzbek sum", "uzbek som", "uzs")),
    ("KZT", "currency:KZT", 1.0, ("tenge", "kzt")),
    ("INR", "currency:INR", 1.0, ("rupee", "rupees", "indian rupee", "indian rupees", "inr")),
    ("PKR", "currency:PKR", 1.0, ("pakistani rupee", "pakistani rupees", "pkr")),
    ("KGS", "currency:KGS", 1.0, ("kyrgyz som", "kgs")),
    ("TMT", "currency:TMT", 1.0, ("manat", "manats", "turkmen manat", "tmt")),
    ("IRR", "currency:IRR", 1.0, ("rial", "rials", "iranian rial", "iranian rials", "irr")),
    ("TRY", "currency:TRY", 1.0, ("lira", "liras", "turkish lira", "turkish liras", "try")),
    ("JPY", "currency:JPY", 1.0, ("yen", "jpy")),
    ("CHF", "currency:CHF", 1.0, ("swiss franc", "swiss francs", "chf")),
    ("SAR", "currency:SAR", 1.0, ("riyal", "riyals", "saudi riyal", "saudi riyals", "sar")),
    ("AED", "currency:AED", 1.0, ("dirham", "dirhams", "aed")),
)

# Spellings matched exactly as written (case matters: "MW" is not "mW"), then lower-cased.
UNITS: dict[str, Unit] = {}
for _symbol, _dimension, _factor, _aliases in _TABLE:
    _unit = Unit(_symbol, _dimension, _factor)
    for _name in (_symbol, *_aliases):
        UNITS.setdefault(_name, _unit)
        UNITS.setdefault(_name.lower(), _unit)

# Where one word names two units ("pounds": mass or sterling), the topic's dimension decides.
AMBIGUOUS: dict[str, tuple[Unit, ...]] = {
    "pound": (UNITS["lb"], UNITS["GBP"]), "pounds": (UNITS["lb"], UNITS["GBP"]),
    "rupee": (UNITS["INR"], UNITS["PKR"]), "rupees": (UNITS["INR"], UNITS["PKR"]),
}

# Longest spellings first, so that "square kilometres" wins over "square" and "km2" over "km".
SPELLINGS: tuple[str, ...] = tuple(sorted(UNITS, key=len, reverse=True))

DIMENSION_NAMES = {"length": "a length", "area": "an area", "mass": "a mass", "energy": "an energy",
                   "power": "a power", "volume": "a volume", "flow": "a flow (volume per time)",
                   "speed": "a speed", "voltage": "a voltage", "duration": "a duration", "percent": "a percentage"}


def describe_dimension(dimension: str) -> str:
    """'a length', 'a sum in USD' — for error messages."""
    if dimension.startswith("currency:"):
        return f"a sum in {dimension.split(':', 1)[1]}"
    return DIMENSION_NAMES.get(dimension, dimension)


def lookup_unit(spelling: str, prefer_dimension: str | None = None) -> Unit | None:
    """The unit a spelling names, preferring `prefer_dimension` where the word is ambiguous."""
    for candidate in AMBIGUOUS.get(spelling.lower(), ()):
        if candidate.dimension == prefer_dimension:
            return candidate
    return UNITS.get(spelling) or UNITS.get(spelling.lower())


def known_units() -> list[tuple[Unit, tuple[str, ...]]]:
    """Every unit with the other spellings it is read from, in the table's order (by dimension): what
    `claimtrack units` lists."""
    return [(UNITS[symbol], tuple(alias for alias in aliases if alias != symbol))
            for symbol, _, _, aliases in _TABLE]


def base_symbol(dimension: str) -> str:
    """The unit a dimension's factors are counted in ('m' for lengths, '1 USD' for a currency)."""
    return next((unit.symbol for unit in UNITS.values() if unit.dimension == dimension and unit.factor == 1.0), "")
