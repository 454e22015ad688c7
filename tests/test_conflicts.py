"""Conflict detection: scope, pairs, severity, internal inconsistencies and resolutions (docs/format.md)."""

from __future__ import annotations

import pytest

from claimtrack.conflicts import find_conflicts
from claimtrack.dataset import load_folder
from claimtrack.report import analyze
from tests.conftest import BASIC_TOPICS, ClaimsFactory, source


def _claim(topic: str, value: str, extra: str = "", quote: str = "q") -> str:
    return f"topic: {topic}\nvalue: \"{value}\"\nquote: {quote}\n{extra}"


def test_three_border_figures_conflict_pairwise(make_claims: ClaimsFactory) -> None:
    folder = make_claims(files={
        "a.yaml": source("a", _claim("border-length", "1,344 km")),
        "b.yaml": source("b", _claim("border-length", "1,374 km")),
        "c.yaml": source("c", _claim("border-length", "more than 1,400 km")),
        "d.yaml": source("d", _claim("border-length", "about 1,400 km")),
    })
    conflicts = find_conflicts(load_folder(folder))
    pairs = {frozenset(p.ids) for p in conflicts["border-length"].pairs}
    # "about 1,400" is [1260, 1540]: it meets every other figure
    assert pairs == {frozenset({"a/border-length", "b/border-length"}),
                     frozenset({"a/border-length", "c/border-length"}),
                     frozenset({"b/border-length", "c/border-length"})}
    conflict = conflicts["border-length"]
    assert conflict.status == "unresolved"
    # largest gap: 1,344.5 .. 1,400 = 55.5, over the larger facing end 1,400
    assert conflict.severity == pytest.approx(55.5 / 1400)


def test_more_than_a_quarter_agrees_with_46_percent(make_claims: ClaimsFactory) -> None:
    folder = make_claims(files={
        "a.yaml": source("a", _claim("tajik-share", "more than a quarter")),
        "b.yaml": source("b", _claim("tajik-share", "46%")),
        "c.yaml": source("c", _claim("tajik-share", "about a quarter")),
    })
    conflict = find_conflicts(load_folder(folder))["tajik-share"]
    assert [p.ids for p in conflict.pairs] == [("c/tajik-share", "b/tajik-share")]
    assert {c.id for c in conflict.claims} == {"b/tajik-share", "c/tajik-share"}


def test_touching_ends_conflict_only_when_one_is_open(make_claims: ClaimsFactory) -> None:
    folder = make_claims(files={
        "a.yaml": source("a", _claim("refugees", "at least 100")),   # [100, ∞)
        "b.yaml": source("b", _claim("refugees", "up to 100")),      # (−∞, 100]
        "c.yaml": source("c", _claim("refugees", "less than 100")),  # (−∞, 100)
    })
    pairs = {p.ids for p in find_conflicts(load_folder(folder))["refugees"].pairs}
    assert pairs == {("c/refugees", "a/refugees")}


def test_as_of_scope_separates_periods(make_claims: ClaimsFactory) -> None:
    folder = make_claims(files={
        "a.yaml": source("a", _claim("refugees", "5,100", "as_of: 2022")),
        "b.yaml": source("b", _claim("refugees", "9,100", "as_of: first half of 2024")),
        "c.yaml": source("c", _claim("refugees", "7,100", "as_of: 2024-03")),
        "d.yaml": source("d", _claim("refugees", "8,100")),  # no as_of: compared with all
    })
    pairs = {frozenset(p.ids) for p in find_conflicts(load_folder(folder))["refugees"].pairs}
    assert frozenset({"a/refugees", "b/refugees"}) not in pairs
    assert frozenset({"b/refugees", "c/refugees"}) in pairs
    assert {frozenset({"a/refugees", "d/refugees"}), frozenset({"b/refugees", "d/refugees"}),
            frozenset({"c/refugees", "d/refugees"})} <= pairs


def test_qualifiers_compare_only_where_shared_keys_agree(make_claims: ClaimsFactory) -> None:
    folder = make_claims(files={
        "a.yaml": source("a", _claim("border-length", "1,344 km", "qualifiers: {measure: official}")),
        "b.yaml": source("b", _claim("border-length", "1,374 km", "qualifiers: {measure: press}")),
        "c.yaml": source("c", _claim("border-length", "1,206 km", "qualifiers: {measure: Official}")),
    })
    pairs = {frozenset(p.ids) for p in find_conflicts(load_folder(folder))["border-length"].pairs}
    assert pairs == {frozenset({"a/border-length", "c/border-length"})}


def test_internal_inconsistency_is_flagged(make_claims: ClaimsFactory) -> None:
    folder = make_claims(files={
        "a.yaml": source("a", _claim("border-length", "1,344 km"), "id: again\n" + _claim("border-length", "1,374 km")),
    })
    conflict = find_conflicts(load_folder(folder))["border-length"]
    assert [p.internal for p in conflict.pairs] == [True]


def test_dates_conflict_with_gap_in_days(make_claims: ClaimsFactory) -> None:
    folder = make_claims(files={
        "a.yaml": source("a", _claim("event-date", "late March 2023")),
        "b.yaml": source("b", _claim("event-date", "2023-04-05")),
        "c.yaml": source("c", _claim("event-date", "spring 2023")),
    })
    conflict = find_conflicts(load_folder(folder))["event-date"]
    assert [p.ids for p in conflict.pairs] == [("a/event-date", "b/event-date")]
    assert conflict.severity == 5  # 2023-03-31 .. 2023-04-05


def test_text_and_boolean_conflicts(make_claims: ClaimsFactory) -> None:
    folder = make_claims(files={
        "a.yaml": source("a", _claim("capital", "Khorog"), _claim("recognised", "no")),
        "b.yaml": source("b", _claim("capital", "KHOROG!"), _claim("recognised", "No")),
        "c.yaml": source("c", _claim("capital", "Dushanbe"), _claim("recognised", "yes")),
    })
    conflicts = find_conflicts(load_folder(folder))
    assert {frozenset(p.ids) for p in conflicts["capital"].pairs} == {
        frozenset({"a/capital", "c/capital"}), frozenset({"b/capital", "c/capital"})}
    assert len(conflicts["recognised"].pairs) == 2


def _resolved_topics(status: str, covers: str) -> str:
    return BASIC_TOPICS + f"""    resolution:
      status: {status}
      note: looked at
      covers: [{covers}]
"""


@pytest.mark.parametrize(("status", "expected"), [("explained", "resolved"), ("accepted", "resolved"),
                                                   ("disputed", "disputed")])
def test_resolution_covering_every_claim_settles_topic(make_claims: ClaimsFactory, status: str,
                                                       expected: str) -> None:
    topics = _resolved_topics(status, "a/refugees, b/refugees")
    folder = make_claims(topics, {"a.yaml": source("a", _claim("refugees", "120")),
                                  "b.yaml": source("b", _claim("refugees", "180"))})
    report = analyze(folder, check=True)
    assert report.status("refugees") == expected
    assert report.exit_code == 0
    assert report.ordered_conflicts() == ([] if expected == "resolved" else [report.conflicts["refugees"]])
    assert report.ordered_conflicts(include_resolved=True) == [report.conflicts["refugees"]]


def test_new_conflicting_claim_reopens_resolution(make_claims: ClaimsFactory) -> None:
    topics = _resolved_topics("explained", "a/refugees, b/refugees")
    folder = make_claims(topics, {"a.yaml": source("a", _claim("refugees", "120")),
                                  "b.yaml": source("b", _claim("refugees", "180")),
                                  "c.yaml": source("c", _claim("refugees", "300"))})
    report = analyze(folder, check=True)
    assert report.status("refugees") == "unresolved"
    assert report.conflicts["refugees"].uncovered == ("c/refugees",)
    assert report.exit_code == 1
    flagged = [p for p in report.problems if p.code == "unresolved-conflict"]
    assert [p.location.path.name for p in flagged] == ["c.yaml"]
    assert "a/refugees ('120')" in flagged[0].message


def test_agreeing_claim_does_not_reopen(make_claims: ClaimsFactory) -> None:
    topics = _resolved_topics("disputed", "a/refugees, b/refugees")
    folder = make_claims(topics, {"a.yaml": source("a", _claim("refugees", "120")),
                                  "b.yaml": source("b", _claim("refugees", "180")),
                                  "c.yaml": source("c", _claim("refugees", "more than 100"))})
    report = analyze(folder, check=True)
    assert report.status("refugees") == "disputed"
    assert report.exit_code == 0


def test_tolerance_widens_intervals(make_claims: ClaimsFactory) -> None:
    topics = BASIC_TOPICS.replace("    unit: km\n", "    unit: km\n    tolerance: 3%\n")
    folder = make_claims(topics, {"a.yaml": source("a", _claim("border-length", "1,344 km")),
                                  "b.yaml": source("b", _claim("border-length", "1,374 km"))})
    assert "border-length" not in find_conflicts(load_folder(folder))


def test_severity_ordering_most_severe_first(make_claims: ClaimsFactory) -> None:
    folder = make_claims(files={
        "a.yaml": source("a", _claim("border-length", "1,344 km"), _claim("tajik-share", "25%")),
        "b.yaml": source("b", _claim("border-length", "1,374 km"), _claim("tajik-share", "46%")),
    })
    report = analyze(folder)
    assert [c.topic.key for c in report.ordered_conflicts()] == ["tajik-share", "border-length"]


def test_a_topic_is_compared_only_when_asked_about(make_claims: ClaimsFactory,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """`show` compares one topic's claims, not the folder's; asking for every conflict compares each once."""
    import claimtrack.conflicts as conflicts_module

    folder = make_claims(files={
        "a.yaml": source("a", _claim("border-length", "1,344 km"), _claim("tajik-share", "25%")),
        "b.yaml": source("b", _claim("border-length", "1,374 km"), _claim("tajik-share", "46%")),
    })
    compared: list[str] = []
    real = conflicts_module._IntervalComparison
    monkeypatch.setattr(conflicts_module, "_IntervalComparison",
                        lambda topic, claims: compared.append(topic.key) or real(topic, claims))
    conflicts = find_conflicts(load_folder(folder))
    assert conflicts["tajik-share"].status == "unresolved" and compared == ["tajik-share"]
    assert "refugees" not in conflicts and compared == ["tajik-share"]  # no claims: nothing to compare
    assert list(conflicts) == ["border-length", "tajik-share"]  # the registry's order, as before
    assert compared == ["tajik-share", "border-length"]  # each topic compared once
    assert len(conflicts) == 2 and conflicts.get("capital") is None and compared == ["tajik-share", "border-length"]
