"""A seeded synthetic claims corpus in the contract's format, for benchmarks.

    python benchmarks/generate.py OUT --claims 100000 [--seed 7]

Ten claims per source file, one topic per twenty claims, sources spread over publisher/year sub-folders.
Every kind of topic (quantities with units, percentages, money, counts, dates, text, booleans), bounds,
ranges, approximate words, unit conversions, `as_of`, qualifiers and comments; values scatter around a
per-topic truth so that some topics conflict, and a share of the conflicting topics carries a resolution
covering exactly its conflicting claims.

Two profiles. `realistic` (the default) follows the shipped data set (claims/, 156 claims from five real
articles), measured: quotes of about 115 characters, a note on half the claims, `as_of` on 58 %,
`attributed_to` on 17 %, sources with an author and a URL — about 350 bytes of YAML per claim. `terse` is
the first generator's profile (one-line quotes, few optional keys, ~180 bytes per claim, and more
conflicts because fewer claims carry an `as_of` that keeps them apart): a stress case for the analysis.
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

PUBLISHERS = ["reuters", "eurasianet", "rferl", "mei", "csrs", "uwed", "crisis-group", "diplomat", "tass", "ozodi"]
KINDS = [  # (weight, kind, unit)
    (5, "quantity", "km"), (4, "quantity", "%"), (4, "quantity", "USD"), (3, "quantity", None),
    (2, "quantity", "t"), (1, "quantity", "h"), (4, "date", None), (2, "text", None), (2, "boolean", None),
]
WORDS = ["border", "trade", "aid", "refugees", "troops", "market", "visit", "road", "power", "water", "loan",
         "rail", "grain", "fuel", "customs", "bridge", "camp", "drone", "school", "clinic", "mine", "dam"]
NAMES = ["Emomali Rahmon", "Sirojiddin Muhriddin", "Saimumin Yatimov", "Amir Khan Muttaqi", "Abdul Kabir",
         "Zabihullah Mujahid", "Ahmad Massoud", "Shavkat Mirziyoyev"]


def _topic(rng: random.Random, n: int) -> dict[str, object]:
    _, kind, unit = rng.choices(KINDS, weights=[k[0] for k in KINDS])[0]
    key = f"{rng.choice(WORDS)}-{rng.choice(WORDS)}-{n}"
    topic: dict[str, object] = {"key": key, "kind": kind, "unit": unit,
                                "title": f"{key.replace('-', ' ').capitalize()} ({kind})"}
    if kind == "quantity":
        topic["truth"] = {"km": rng.uniform(50, 3000), "%": rng.uniform(2, 95), "USD": rng.uniform(1e6, 5e9),
                          None: rng.uniform(10, 50000), "t": rng.uniform(100, 90000), "h": rng.uniform(1, 200)}[unit]
    elif kind == "date":
        topic["truth"] = (rng.randint(2015, 2025), rng.randint(1, 12), rng.randint(1, 28))
    elif kind == "text":
        topic["truth"] = rng.choice(NAMES)
    else:
        topic["truth"] = rng.random() < 0.7
    return topic


def _number(x: float) -> str:
    """Rounded as reporters round: two or three significant digits (so trailing zeros widen the interval)."""
    from math import floor, log10

    digits = 2 if x >= 1000 else 3
    rounded = round(x, digits - 1 - floor(log10(abs(x)))) if x else 0.0
    return f"{rounded:,.0f}" if rounded >= 100 else f"{rounded:.1f}".rstrip("0").rstrip(".")


def _value(rng: random.Random, topic: dict[str, object]) -> str:
    kind, unit, truth = topic["kind"], topic["unit"], topic["truth"]
    if kind == "quantity":
        x = float(truth) * rng.gauss(1, 0.015)  # type: ignore[arg-type]
        form = rng.random()
        if unit == "USD":
            millions = x / 1e6
            amount = f"${millions:,.1f} million" if millions < 1000 else f"${millions / 1000:.2f} billion"
            return amount if form < 0.7 else f"about {amount}" if form < 0.9 else f"over ${millions:,.0f} million"
        suffix = {"km": " km", "%": "%", None: " people", "t": " tonnes", "h": " hours"}[unit]  # type: ignore[index]
        if unit == "km" and form < 0.1:
            return f"{_number(x / 1.609344)} miles"
        if form < 0.55:
            return _number(x) + suffix
        if form < 0.7:
            return f"about {_number(x)}{suffix}"
        if form < 0.8:
            return f"more than {_number(x * 0.9)}{suffix}"
        if form < 0.88:
            return f"up to {_number(x * 1.1)}{suffix}"
        if form < 0.95:
            return f"{_number(x * 0.95)}–{_number(x * 1.05)}{suffix}"
        return f"almost {_number(x * 1.02)}{suffix}"
    if kind == "date":
        year, month, day = truth  # type: ignore[misc]
        shift = rng.random()
        if shift < 0.1:
            month = max(1, min(12, month + rng.choice([-2, -1, 1, 2])))
        months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                  "November", "December"]
        form = rng.random()
        if form < 0.4:
            return f"{year}-{month:02d}-{day:02d}"
        if form < 0.7:
            return f"{months[month - 1]} {year}"
        if form < 0.85:
            return f"{('early', 'mid', 'late')[min(2, (day - 1) // 10)]} {months[month - 1]} {year}"
        return f"Q{(month - 1) // 3 + 1} {year}"
    if kind == "text":
        return str(truth) if rng.random() < 0.93 else rng.choice(NAMES)
    flip = rng.random() < 0.05
    return "yes" if bool(truth) != flip else "no"


CLAUSES = ["according to officials in Dushanbe", "the ministry said in a statement on its website",
           "a figure repeated by several regional outlets", "as the report's authors put it",
           "in remarks carried by state television", "citing figures from the border service",
           "a number that the Taliban's spokesman did not dispute", "in a briefing for foreign journalists"]
NOTES = ["Rounded in the source; the underlying table gives a more precise figure.",
         "The source gives no date for the figure; the publication date is used.",
         "Reported second-hand; the original statement could not be found.",
         "The article's English and Russian versions differ on this point."]


def _quote(rng: random.Random, value: str, topic: dict[str, object], profile: str) -> str:
    if profile == "terse":
        return f"the report says {value} about {topic['title']}"
    title = str(topic["title"]).lower()
    return f"{title.capitalize()} stood at {value}, {rng.choice(CLAUSES)}, {rng.choice(CLAUSES)}."


def generate(out: Path, claims: int, seed: int = 7, profile: str = "realistic") -> Path:
    """Write a corpus of about `claims` claims to OUT/claims; return the claims folder."""
    realistic = profile == "realistic"
    rng = random.Random(seed)
    folder = out / "claims"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    topics = [_topic(rng, n) for n in range(max(1, claims // 20))]
    per_file = 10
    files = max(1, claims // per_file)
    written: list[tuple[str, dict[str, object]]] = []
    for index in range(files):
        publisher = PUBLISHERS[index % len(PUBLISHERS)]
        year = 2015 + index % 11
        source_id = f"{publisher}-{year}-{index}"
        lines = [f"# {publisher} report {index}", "source:", f"  id: {source_id}",
                 f'  title: "Report {index} on Tajik–Afghan relations"', f"  publisher: {publisher}",
                 f"  published: {year}-{1 + index % 12:02d}", "  type: news"]
        if realistic:
            lines += [f"  author: {rng.choice(NAMES)}",
                      f"  url: https://{publisher}.example.org/{year}/{index}/tajik-afghan-relations"]
        lines.append("claims:")
        for number in range(per_file):
            topic = rng.choice(topics)
            claim_id = f"c{number}"
            value = _value(rng, topic)
            lines += [f"  - id: {claim_id}", f"    topic: {topic['key']}", f'    value: "{value}"',
                      f'    quote: "{_quote(rng, value, topic, profile)}"']
            if rng.random() < (0.58 if realistic else 0.15):
                lines.append(f"    as_of: {rng.randint(2015, 2025)}")
            if rng.random() < 0.05:
                lines.append(f"    qualifiers: {{measure: {rng.choice(['official', 'estimate'])}}}")
            if rng.random() < (0.17 if realistic else 0.05):
                lines.append("    attributed_to: a government official")
            if realistic and rng.random() < 0.5:
                lines.append(f"    note: {rng.choice(NOTES)}")
            written.append((f"{source_id}/{claim_id}", topic))
        path = folder / "sources" / publisher / str(year) / f"{source_id}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _write_topics(folder, topics, {})
    _write_topics(folder, topics, _resolutions(folder, rng))
    return folder


def _resolutions(folder: Path, rng: random.Random) -> dict[str, list[str]]:
    """A resolution for about a third of the conflicting topics, covering exactly their conflicting claims."""
    from claimtrack.conflicts import find_conflicts
    from claimtrack.dataset import load_folder

    conflicts = find_conflicts(load_folder(folder))
    return {key: sorted(c.claim_ids) for key, c in conflicts.items() if rng.random() < 0.35}


def _write_topics(folder: Path, topics: list[dict[str, object]], resolved: dict[str, list[str]]) -> None:
    lines = ["# Synthetic topics", "topics:"]
    for topic in topics:
        lines += [f"  {topic['key']}:", f'    title: "{topic["title"]}"', f"    kind: {topic['kind']}"]
        if topic["unit"]:
            lines.append(f'    unit: "{topic["unit"]}"')
        lines.append(f"    aliases: [{str(topic['key']).replace('-', ' ')}]")
        if topic["key"] in resolved:
            covers = ", ".join(resolved[str(topic["key"])])
            lines += ["    resolution:", "      status: explained", "      note: synthetic",
                      f"      covers: [{covers}]"]
    (folder / "topics.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--profile", choices=["realistic", "terse"], default="realistic")
    args = parser.parse_args()
    print(generate(args.out, args.claims, args.seed, args.profile))


if __name__ == "__main__":
    main()
