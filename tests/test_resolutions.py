"""A resolution records what it settled and notices edits (issue 18, item 1), through the installed command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

from tests.conftest import ClaimsFactory, source


def _claimtrack(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "claimtrack", *args, "--dir", str(folder)], capture_output=True,
                          text=True, timeout=60, env={**os.environ, "NO_COLOR": "1"}, check=False)


def test_resolve_records_each_value_it_settled_and_an_edit_reopens_the_topic(make_claims: ClaimsFactory) -> None:
    folder = make_claims(topics="topics:\n  canal-cost:\n    title: Cost of the canal\n    unit: USD\n", files={
        "a.yaml": source("a", 'topic: canal-cost\nvalue: "$684mn"\nquote: "$684mn"'),
        "b.yaml": source("b", 'topic: canal-cost\nvalue: "$1.2 billion"\nquote: "$1.2 billion"'),
    })
    assert _claimtrack(folder, "check").returncode == 1
    done = _claimtrack(folder, "resolve", "canal-cost", "--status", "explained", "--note", "different scopes",
                       "--preferred", "$684mn")
    assert done.returncode == 0, done.stderr
    resolution = yaml.safe_load((folder / "topics.yaml").read_text())["topics"]["canal-cost"]["resolution"]
    assert resolution["covers"] == {"a/canal-cost": "$684mn", "b/canal-cost": "$1.2 billion"}
    assert _claimtrack(folder, "check").returncode == 0

    (folder / "a.yaml").write_text((folder / "a.yaml").read_text().replace('value: "$684mn"', 'value: "$900mn"'))
    changed = _claimtrack(folder, "check")
    assert changed.returncode == 1  # the verdict was about $684mn
    assert "settled a/canal-cost as '$684mn', but it now says '$900mn'" in changed.stdout
    assert "[unresolved-conflict]" in changed.stdout

    again = _claimtrack(folder, "resolve", "canal-cost", "--status", "explained", "--note", "different scopes")
    assert again.returncode == 0, again.stderr
    text = (folder / "topics.yaml").read_text()
    assert 'a/canal-cost: "$900mn"' in text and 'b/canal-cost: "$1.2 billion"' in text
    assert _claimtrack(folder, "check").returncode == 0


def test_resolve_refuses_a_preferred_value_that_is_not_one_of_the_topic(make_claims: ClaimsFactory) -> None:
    folder = make_claims(files={
        "a.yaml": source("a", 'topic: event-date\nvalue: "2021"\nquote: in 2021'),
        "b.yaml": source("b", 'topic: event-date\nvalue: "2022"\nquote: in 2022'),
    })
    before = (folder / "topics.yaml").read_bytes()
    for preferred, why in (("banana", "is not a date value of this topic"),
                           ("2019", "agrees with none of the claims the resolution covers")):
        done = _claimtrack(folder, "resolve", "event-date", "--status", "explained", "--note", "n",
                           "--preferred", preferred)
        assert done.returncode == 2 and why in done.stderr and "[invalid-preferred]" in done.stderr
        assert (folder / "topics.yaml").read_bytes() == before
    assert _claimtrack(folder, "resolve", "event-date", "--status", "explained", "--note", "n",
                       "--preferred", "2021").returncode == 0


def test_a_list_of_covers_written_by_hand_still_reads_and_is_rewritten_as_settled(make_claims: ClaimsFactory) -> None:
    folder = make_claims(topics="""
        topics:
          event-date:
            title: When
            kind: date
            resolution:
              status: disputed
              covers: [a/event-date, b/event-date]  # as an older claimtrack wrote it
        """, files={
        "a.yaml": source("a", 'topic: event-date\nvalue: "2021"\nquote: in 2021'),
        "b.yaml": source("b", 'topic: event-date\nvalue: "2022"\nquote: in 2022'),
    })
    assert _claimtrack(folder, "check").returncode == 0
    assert _claimtrack(folder, "resolve", "event-date", "--status", "explained", "--note", "n").returncode == 0
    text = (folder / "topics.yaml").read_text()
    assert yaml.safe_load(text)["topics"]["event-date"]["resolution"]["covers"] == {"a/event-date": "2021",
                                                                                   "b/event-date": "2022"}
    assert "# as an older claimtrack wrote it" in text
