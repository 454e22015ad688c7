"""Consensus: independence, support, ties, scopes and the reliability fixed point, on folders where the right
answer is plain (docs/consensus.md)."""

from __future__ import annotations

import json
import textwrap

import pytest
from typer.testing import CliRunner

from claimtrack import consensus as engine
from claimtrack.cli import app
from claimtrack.consensus import Consensus, Verdict, find_consensus
from claimtrack.dataset import load_folder
from claimtrack.values import Interval
from tests.conftest import ClaimsFactory, source


def _claim(topic: str, value: str, quote: str = "q", **extra: str) -> str:
    lines = [f"topic: {topic}", f'value: "{value}"', f"quote: {json.dumps(quote)}"]
    lines += [f"{key}: {text if text.startswith('{') else json.dumps(text)}" for key, text in extra.items()]
    return "\n".join(lines)


def _only(found: Consensus, topic: str) -> Verdict:
    verdicts = found.by_topic[topic]
    assert len(verdicts) == 1, verdicts
    return verdicts[0]


def _folder(make_claims: ClaimsFactory, *claims: tuple[str, str], **extra: str) -> dict[str, str]:
    """One source file per (source id, claim block)."""
    files: dict[str, list[str]] = {}
    for source_id, block in claims:
        files.setdefault(source_id, []).append(block)
    return {f"{sid}.yaml": source(sid, *blocks) for sid, blocks in files.items()}


def test_three_agreeing_sources_outweigh_one(make_claims: ClaimsFactory) -> None:
    folder = make_claims(files=_folder(make_claims, ("a", _claim("border-length", "1,344 km")),
                                       ("b", _claim("border-length", "1,344 km")),
                                       ("c", _claim("border-length", "about 1,344 km")),
                                       ("d", _claim("border-length", "1,374 km"))))
    verdict = _only(find_consensus(load_folder(folder)), "border-length")
    assert verdict.representative is not None and verdict.representative.value == "1,344 km"  # the most precise
    assert verdict.best is not None and verdict.best.interval == Interval(1343.5, 1344.5)
    assert (verdict.support, verdict.origins) == (3, 4)
    assert set(verdict.agree) == {"a/border-length", "b/border-length", "c/border-length"}
    assert verdict.disagree == ("d/border-length",)
    assert verdict.confidence > 0.9


def test_a_wide_claim_supports_every_value_it_contains(make_claims: ClaimsFactory) -> None:
    folder = make_claims(files=_folder(make_claims, ("a", _claim("tajik-share", "about a quarter")),
                                       ("b", _claim("tajik-share", "more than a quarter")),
                                       ("c", _claim("tajik-share", "46%")),
                                       ("d", _claim("tajik-share", "roughly a quarter"))))
    verdict = _only(find_consensus(load_folder(folder)), "tajik-share")
    # "more than a quarter" (25, ∞) meets both; the two quarters tip it: all three meet in (25, 27.5]
    assert verdict.best is not None and verdict.best.interval == Interval(25, 27.5, low_open=True)
    assert verdict.representative is not None and verdict.representative.value == "about a quarter"
    assert verdict.disagree == ("c/tajik-share",)
    assert verdict.support == 3


def test_a_wide_claim_on_both_sides_of_an_even_split_is_a_tie(make_claims: ClaimsFactory) -> None:
    folder = make_claims(files=_folder(make_claims, ("a", _claim("tajik-share", "about a quarter")),
                                       ("b", _claim("tajik-share", "more than a quarter")),
                                       ("c", _claim("tajik-share", "46%"))))
    verdict = _only(find_consensus(load_folder(folder)), "tajik-share")
    assert verdict.best is None and len(verdict.tied) == 2
    assert verdict.agree == ("b/tajik-share",)  # it agrees with either answer


def test_an_even_split_is_a_tie_not_a_guess(make_claims: ClaimsFactory) -> None:
    folder = make_claims(files=_folder(make_claims, ("a", _claim("border-length", "1,344 km")),
                                       ("b", _claim("border-length", "1,374 km"))))
    verdict = _only(find_consensus(load_folder(folder)), "border-length")
    assert verdict.best is None and verdict.representative is None
    assert {c.claims[0].id for c in verdict.tied} == {"a/border-length", "b/border-length"}
    result = CliRunner().invoke(app, ["consensus", "--dir", str(folder), "--format", "json"])
    item = json.loads(result.stdout)["consensus"][0]
    assert item["value"] is None and item["tie"] is True and item["low"] is None
    assert len(item["alternatives"]) == 2


def test_a_lone_claim_says_so(make_claims: ClaimsFactory) -> None:
    folder = make_claims(files=_folder(make_claims, ("a", _claim("refugees", "1,200"))))
    verdict = _only(find_consensus(load_folder(folder)), "refugees")
    assert verdict.lone and verdict.support == 1
    assert verdict.confidence == pytest.approx(engine.PRIOR_ACCURACY)  # the source's accuracy, nothing more
    assert "a lone claim" in CliRunner().invoke(app, ["consensus", "refugees", "--dir", str(folder)]).stdout
    assert json.loads(CliRunner().invoke(app, ["consensus", "--dir", str(folder), "-f", "json"]).stdout
                      )["consensus"][0]["lone"] is True


def test_one_attribution_counts_once(make_claims: ClaimsFactory) -> None:
    minister = {"attributed_to": "Emomali Rahmon"}
    folder = make_claims(files=_folder(make_claims,
                                       ("a", _claim("border-length", "1,344 km", **minister)),
                                       ("b", _claim("border-length", "1,344 km", **minister)),
                                       ("c", _claim("border-length", "1,344 km", attributed_to="emomali  RAHMON")),
                                       ("d", _claim("border-length", "1,374 km")),
                                       ("e", _claim("border-length", "1,374 km"))))
    verdict = _only(find_consensus(load_folder(folder)), "border-length")
    # three articles repeating one man's figure are one witness; two independent sources beat it
    assert verdict.origins == 3
    assert verdict.representative is not None and verdict.representative.value == "1,374 km"
    assert verdict.support == 2


def test_near_identical_quotes_are_one_wire_copy(make_claims: ClaimsFactory) -> None:
    wire = "Tajikistan and Afghanistan share a rugged border of 1,344 kilometres, officials said on Monday."
    folder = make_claims(files=_folder(make_claims,
                                       ("a", _claim("border-length", "1,344 km", quote=wire)),
                                       ("b", _claim("border-length", "1,344 km",
                                                    quote=wire.replace("Monday", "monday,"))),
                                       ("c", _claim("border-length", "1,344 km", quote=wire + " ")),
                                       ("d", _claim("border-length", "1,374 km", quote="a 1,374 km border")),
                                       ("e", _claim("border-length", "1,374 km", quote="the border, 1,374 km"))))
    verdict = _only(find_consensus(load_folder(folder)), "border-length")
    assert verdict.origins == 3
    assert verdict.representative is not None and verdict.representative.value == "1,374 km"


def test_short_identical_quotes_are_not_copies(make_claims: ClaimsFactory) -> None:
    folder = make_claims(files=_folder(make_claims, *((sid, _claim("border-length", "1,344 km", quote="1,344 km"))
                                                      for sid in "abc"),
                                       ("d", _claim("border-length", "1,374 km", quote="1,374 km"))))
    verdict = _only(find_consensus(load_folder(folder)), "border-length")
    assert verdict.origins == 4 and verdict.support == 3  # two writers may well put "1,344 km" alike


def test_based_on_makes_a_copy_count_once(make_claims: ClaimsFactory) -> None:
    files = _folder(make_claims, ("a", _claim("border-length", "1,344 km")),
                    ("d", _claim("border-length", "1,374 km")), ("e", _claim("border-length", "1,374 km")))
    for copy in ("b", "c"):  # b repeats a; c repeats b (and so a)
        original = "a" if copy == "b" else "b"
        files[f"{copy}.yaml"] = (f"source:\n  id: {copy}\n  title: Copy\n  based_on: [{original}]\nclaims:\n"
                                 f"  - {{topic: border-length, value: '1,344 km', quote: q}}\n")
    verdict = _only(find_consensus(load_folder(make_claims(files=files))), "border-length")
    assert verdict.origins == 3
    assert verdict.representative is not None and verdict.representative.value == "1,374 km"


def test_a_copy_that_gives_another_figure_is_its_own_witness(make_claims: ClaimsFactory) -> None:
    files = _folder(make_claims, ("a", _claim("border-length", "1,344 km")))
    files["b.yaml"] = ("source:\n  id: b\n  title: Copy\n  based_on: a\nclaims:\n"
                       "  - {topic: border-length, value: '1,374 km', quote: q}\n")
    verdict = _only(find_consensus(load_folder(make_claims(files=files))), "border-length")
    assert verdict.origins == 2 and verdict.best is None  # it did not repeat a's figure: a tie of two


def test_scopes_split_by_as_of_and_qualifiers(make_claims: ClaimsFactory) -> None:
    folder = make_claims(files=_folder(make_claims,
                                       ("a", _claim("refugees", "5,100", as_of="2022")),
                                       ("b", _claim("refugees", "5,100", as_of="December 2022")),
                                       ("c", _claim("refugees", "9,100", as_of="first half of 2024")),
                                       ("d", _claim("refugees", "9,100", as_of="2024-03")),
                                       ("e", _claim("refugees", "700", qualifiers="{camp: north}")),
                                       ("f", _claim("refugees", "900", qualifiers="{camp: south}"))))
    found = find_consensus(load_folder(folder))
    scopes = {(v.scope.as_of, v.scope.qualifiers): v for v in found.by_topic["refugees"]}
    # the claims that name no camp agree with both camps: they keep scopes of their own, split by time
    assert set(scopes) == {("2022; December 2022", ()), ("2024-03; first half of 2024", ()),
                           (None, (("camp", "north"),)), (None, (("camp", "south"),))}
    assert all(v.best is not None and v.disagree == () for v in scopes.values())  # no scope contradicts itself
    assert [v.scope.qualifiers for v in found.by_topic["refugees"]] == sorted(v.scope.qualifiers for v in
                                                                             found.by_topic["refugees"])


def test_a_claim_naming_fewer_qualifiers_joins_the_one_group_it_agrees_with(make_claims: ClaimsFactory) -> None:
    folder = make_claims(files=_folder(make_claims,
                                       ("a", _claim("refugees", "5,100", qualifiers="{measure: official}")),
                                       ("b", _claim("refugees", "9,100",
                                                    qualifiers="{measure: official, method: gis}")),
                                       ("c", _claim("refugees", "9,100",
                                                    qualifiers="{measure: official, method: gis}"))))
    verdict = _only(find_consensus(load_folder(folder)), "refugees")  # one scope, as conflicts compares them
    assert verdict.disagree == ("a/refugees",)


def test_a_period_spanning_two_others_is_in_both(make_claims: ClaimsFactory) -> None:
    folder = make_claims(files=_folder(make_claims,
                                       ("a", _claim("refugees", "5,100", as_of="2022")),
                                       ("b", _claim("refugees", "9,100", as_of="2024")),
                                       ("c", _claim("refugees", "5,100", as_of="2022 to 2024"))))
    found = find_consensus(load_folder(folder))
    verdicts = found.by_topic["refugees"]
    assert [v.scope.as_of for v in verdicts] == ["2022; 2022 to 2024", "2022 to 2024; 2024"]
    assert [v.best is not None for v in verdicts] == [True, True]  # never a tie of 2022 against 2024
    assert found.sources["c"].claims == 1  # one claim, counted once in its record


def test_claims_without_scope_join_the_only_scope(make_claims: ClaimsFactory) -> None:
    folder = make_claims(files=_folder(make_claims, ("a", _claim("refugees", "5,100", as_of="2022")),
                                       ("b", _claim("refugees", "5,100"))))
    verdict = _only(find_consensus(load_folder(folder)), "refugees")
    assert verdict.support == 2


def test_text_answers_group_by_similarity(make_claims: ClaimsFactory) -> None:
    folder = make_claims(files=_folder(make_claims, ("a", _claim("capital", "Khorog")),
                                       ("b", _claim("capital", "Khorog.")), ("c", _claim("capital", "khorog")),
                                       ("d", _claim("capital", "Dushanbe"))))
    verdict = _only(find_consensus(load_folder(folder)), "capital")
    assert verdict.representative is not None and verdict.representative.value in ("Khorog", "khorog")
    assert verdict.disagree == ("d/capital",)


def test_reliability_is_learned_from_other_topics(make_claims: ClaimsFactory) -> None:
    """'good' agrees with two independent sources on three topics, 'bad' never does; on a fourth topic the two
    stand alone against each other, and the reliable one wins."""
    topics = "topics:\n" + "".join(f"  t{n}: {{title: T{n}}}\n" for n in range(4))
    claims = []
    for n in range(3):
        claims += [("good", _claim(f"t{n}", "100")), ("x", _claim(f"t{n}", "100")), ("y", _claim(f"t{n}", "100")),
                   ("bad", _claim(f"t{n}", "500"))]
    claims += [("good", _claim("t3", "7")), ("bad", _claim("t3", "9"))]
    found = find_consensus(load_folder(make_claims(topics, _folder(make_claims, *claims))))
    assert found.sources["good"].reliability > 0.85 > found.sources["bad"].reliability
    assert (found.sources["bad"].compared, found.sources["bad"].agreeing) == (4, 0)
    verdict = _only(found, "t3")
    assert verdict.representative is not None and verdict.representative.value == "7"
    assert found.iterations < engine.MAX_ITERATIONS  # it reached the fixed point


def test_the_fixed_point_does_not_depend_on_file_order(make_claims: ClaimsFactory) -> None:
    pairs = [("a", _claim("border-length", "1,344 km")), ("b", _claim("border-length", "1,374 km")),
             ("c", _claim("border-length", "1,344 km")), ("a", _claim("refugees", "100")),
             ("b", _claim("refugees", "200")), ("c", _claim("refugees", "200"))]
    one = find_consensus(load_folder(make_claims(files=_folder(make_claims, *pairs), folder="one")))
    other = find_consensus(load_folder(make_claims(files=_folder(make_claims, *reversed(pairs)), folder="two")))
    assert {k: r.reliability for k, r in one.sources.items()} == {k: r.reliability for k, r in other.sources.items()}


def test_cliques_follow_open_and_closed_ends() -> None:
    first, last, regions = engine._cliques([Interval(1, 2), Interval(2, 3), Interval(3, 4, low_open=True)])
    # [1,2] and [2,3] share 2; (3,4] does not meet [2,3]
    assert regions == [Interval(2, 2), Interval(3, 4, low_open=True)]
    assert (first, last) == ([0, 0, 1], [0, 0, 1])


def test_consensus_command_filters_topics_and_refuses_unknown_ones(make_claims: ClaimsFactory) -> None:
    folder = make_claims(files=_folder(make_claims, ("a", _claim("border-length", "1,344 km")),
                                       ("b", _claim("border-length", "1,344 km")), ("a", _claim("refugees", "9"))))
    runner = CliRunner()
    table = runner.invoke(app, ["consensus", "--dir", str(folder)])
    assert table.exit_code == 0 and "border-length" in table.stdout
    assert "1 topic scope with a single claim" in table.stdout
    data = json.loads(runner.invoke(app, ["consensus", "refugees", "--dir", str(folder), "-f", "json"]).stdout)
    assert [c["topic"] for c in data["consensus"]] == ["refugees"]
    assert {s["id"] for s in data["sources"]} == {"a", "b"}
    for key in ("topic", "kind", "unit", "as_of", "value", "low", "high", "low_open", "high_open", "support",
                "agree", "disagree", "confidence"):
        assert key in data["consensus"][0]
    for key in ("id", "claims", "agreeing", "reliability"):
        assert key in data["sources"][0]
    unknown = runner.invoke(app, ["consensus", "zzz-nothing-like-it", "--dir", str(folder)])
    assert unknown.exit_code == 2


def test_show_and_sources_carry_the_consensus(make_claims: ClaimsFactory) -> None:
    folder = make_claims(files=_folder(make_claims, ("a", _claim("border-length", "1,344 km")),
                                       ("b", _claim("border-length", "1,344 km")),
                                       ("c", _claim("border-length", "1,374 km"))))
    runner = CliRunner()
    shown = json.loads(runner.invoke(app, ["show", "border-length", "--dir", str(folder), "-f", "json"]).stdout)
    assert shown["consensus"][0]["value"] == "1,344 km"
    assert "Consensus: 1,344 km" in runner.invoke(app, ["show", "border-length", "--dir", str(folder)]).stdout
    listed = json.loads(runner.invoke(app, ["sources", "--dir", str(folder), "-f", "json"]).stdout)["sources"]
    reliability = {row["id"]: row["reliability"] for row in listed}
    assert reliability["a"] > reliability["c"]


def test_based_on_is_checked(make_claims: ClaimsFactory) -> None:
    files = {"a.yaml": textwrap.dedent("""\
        source:
          id: a
          title: A
          based_on: [reuters-2024]
        claims: []
        """)}
    result = CliRunner().invoke(app, ["check", "--dir", str(make_claims(files=files))])
    assert result.exit_code == 1
    assert "unknown-source" in result.stdout and "reuters-2024" in result.stdout


def test_add_source_records_based_on_and_refuses_an_unknown_one(make_claims: ClaimsFactory) -> None:
    folder = make_claims(files=_folder(make_claims, ("a", _claim("border-length", "1,344 km"))))
    runner = CliRunner()
    done = runner.invoke(app, ["add-source", "--dir", str(folder), "--id", "b", "--title", "Copy", "--based-on", "a"])
    assert done.exit_code == 0, done.output
    assert load_folder(folder).sources["b"].based_on == ("a",)
    refused = runner.invoke(app, ["add-source", "--dir", str(folder), "--id", "c", "--title", "Copy",
                                  "--based-on", "aa"])
    assert refused.exit_code == 2 and not (folder / "c.yaml").exists()


def test_a_documents_own_figure_and_one_it_reports_are_two_witnesses(make_claims: ClaimsFactory) -> None:
    folder = make_claims(files=_folder(make_claims,
                                       ("a", _claim("tajik-share", "more than a quarter", attributed_to="Rahmon")),
                                       ("a", _claim("tajik-share", "46%"))))
    verdict = _only(find_consensus(load_folder(folder)), "tajik-share")
    assert verdict.origins == 2


def test_a_sentence_repeated_word_for_word_is_one_witness(make_claims: ClaimsFactory) -> None:
    line = "The border is 1,344 km long."  # seven words once the figure is split: long enough to be a copy
    folder = make_claims(files=_folder(make_claims, ("a", _claim("border-length", "1,344 km", quote=line)),
                                       ("b", _claim("border-length", "1,344 km", quote=line.upper())),
                                       ("c", _claim("border-length", "1,374 km", quote="1,374 km")),
                                       ("d", _claim("border-length", "1,374 km", quote="a 1,374 km border"))))
    verdict = _only(find_consensus(load_folder(folder)), "border-length")
    assert verdict.origins == 3
    assert verdict.representative is not None and verdict.representative.value == "1,374 km"


def test_a_document_repeating_its_own_figure_is_still_one_witness(make_claims: ClaimsFactory) -> None:
    folder = make_claims(files=_folder(make_claims, *(("a", _claim("border-length", "1,344 km", quote=f"q{n}"))
                                                      for n in range(3)),
                                       ("b", _claim("border-length", "1,374 km"))))
    found = find_consensus(load_folder(folder))
    assert _only(found, "border-length").best is None  # one witness against one: a tie, whatever the repeats
    assert found.sources["a"].reliability == found.sources["b"].reliability


def test_a_copy_of_two_originals_does_not_make_them_one_witness(make_claims: ClaimsFactory) -> None:
    files = _folder(make_claims, ("a", _claim("border-length", "1,344 km")), ("b", _claim("border-length", "1,344 km")),
                    ("d", _claim("border-length", "1,374 km")), ("e", _claim("border-length", "1,374 km")))
    files["c.yaml"] = ("source:\n  id: c\n  title: Copy\n  based_on: [a, b]\nclaims:\n"
                       "  - {topic: border-length, value: '1,344 km', quote: q}\n")
    verdict = _only(find_consensus(load_folder(make_claims(files=files))), "border-length")
    assert verdict.origins == 4 and verdict.best is None  # a, b, d, e: still two against two


def test_one_wire_sentence_with_two_figures_is_two_witnesses(make_claims: ClaimsFactory) -> None:
    wire = "Tajikistan and Afghanistan share a rugged border of {} kilometres, officials said on Monday."
    folder = make_claims(files=_folder(make_claims,
                                       ("a", _claim("border-length", "1,344 km", quote=wire.format("1,344"))),
                                       ("b", _claim("border-length", "1,374 km", quote=wire.format("1,374")))))
    assert _only(find_consensus(load_folder(folder)), "border-length").origins == 2


def test_a_tie_names_each_answer_by_its_own_most_precise_claim(make_claims: ClaimsFactory) -> None:
    folder = make_claims(files=_folder(make_claims, ("a", _claim("tajik-share", "more than a quarter")),
                                       ("b", _claim("tajik-share", "about a quarter")),
                                       ("c", _claim("tajik-share", "46%"))))
    verdict = _only(find_consensus(load_folder(folder)), "tajik-share")
    assert sorted(c.representative.value for c in verdict.tied) == ["46%", "about a quarter"]
    shown = CliRunner().invoke(app, ["consensus", "tajik-share", "--dir", str(folder)]).stdout
    assert "TIE: 46% vs about a quarter" in shown


def test_sources_that_are_nearly_always_wrong_do_not_overflow(make_claims: ClaimsFactory) -> None:
    """Liars outvoted on many topics reach the lowest accuracy; a topic where only they speak must still be
    weighed (their votes are far below zero), not end in an OverflowError."""
    topics = "topics:\n" + "".join(f"  t{n}: {{title: T{n}}}\n" for n in range(31))
    claims = []
    for n in range(30):
        claims += [(f"honest{k}", _claim(f"t{n}", "100")) for k in range(6)]
        claims += [(f"liar{k}", _claim(f"t{n}", str(500 + 100 * k))) for k in range(3)]
    claims += [(f"liar{k}", _claim("t30", "9")) for k in range(3)]
    found = find_consensus(load_folder(make_claims(topics, _folder(make_claims, *claims))))
    assert found.sources["liar0"].reliability < 0.1
    verdict = _only(found, "t30")
    assert verdict.representative is not None and verdict.representative.value == "9"
    assert 0 <= verdict.confidence < 0.5


def test_scopes_do_not_depend_on_file_order(make_claims: ClaimsFactory) -> None:
    values = [("after 2022-12-31", "1"), ("2022-12-31", "2"), ("since 2022-12-31", "3")]
    one = make_claims(files=_folder(make_claims, *((f"s{n}", _claim("refugees", v, as_of=when))
                                                   for n, (when, v) in enumerate(values))), folder="one")
    two = make_claims(files=_folder(make_claims, *((f"s{n}", _claim("refugees", v, as_of=when))
                                                   for n, (when, v) in enumerate(reversed(values)))), folder="two")

    def shape(folder: object) -> list[tuple[str | None, frozenset[str]]]:
        verdicts = find_consensus(load_folder(folder)).by_topic["refugees"]  # type: ignore[arg-type]
        return [(v.scope.as_of, frozenset(c.value for c in v.scope.claims)) for v in verdicts]

    assert shape(one) == shape(two)


def test_an_empty_interval_is_refused(make_claims: ClaimsFactory) -> None:
    files = {"a.yaml": source("a", "topic: border-length\nvalue: {min: 5, max: 5, min_open: true}\nquote: q")}
    result = CliRunner().invoke(app, ["check", "--dir", str(make_claims(files=files))])
    assert result.exit_code == 1 and "empty interval" in result.stdout


def test_a_large_even_split_and_many_text_answers_stay_quick(make_claims: ClaimsFactory) -> None:
    import time

    from claimtrack.consensus import split_scopes

    topic = load_folder(make_claims()).topics
    claims = load_folder(make_claims(files=_folder(make_claims, *(
        (f"s{n}", _claim("border-length", f"{1001 + 10 * n} km")) for n in range(3000))), folder="many")).claims
    start = time.perf_counter()
    scope = split_scopes(topic["border-length"], claims)[0]
    verdict = engine._prepare(scope, engine._Ancestry({}, [], {}), {}).verdict({c.source: 0.8 for c in claims})
    assert len(verdict.tied) == 3000 and time.perf_counter() - start < 20  # was minutes: O(ties x claims)
