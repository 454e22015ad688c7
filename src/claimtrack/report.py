"""Report stage: everything the renderers need (dataset, conflicts, problems) and the exit code."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from claimtrack.conflicts import Conflict, TopicStatus, find_conflicts, topic_status
from claimtrack.dataset import Dataset, ReadProgress, load_folder
from claimtrack.errors import ExitCode, Problem

if TYPE_CHECKING:
    from claimtrack.consensus import Consensus


@dataclass(frozen=True)
class Report:
    dataset: Dataset
    conflicts: Mapping[str, Conflict]  # conflicts.Conflicts: each topic compared when first asked about
    problems: tuple[Problem, ...]  # what `check` reports (loading problems alone for other commands)

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def exit_code(self) -> ExitCode:
        """FINDINGS when any error (an unresolved conflict is one) was found."""
        return ExitCode.FINDINGS if self.errors else ExitCode.OK

    @property
    def files_read(self) -> list[Path]:
        """Every file the analysis depends on: the YAML files and the sources' text copies."""
        texts = [source.text for source in self.dataset.sources.values() if source.text is not None]
        return [*self.dataset.files, *texts]

    @cached_property
    def consensus(self) -> Consensus:
        """What the independent evidence supports, and the sources' reliability (worked out when first asked)."""
        from claimtrack.consensus import find_consensus

        return find_consensus(self.dataset)

    def status(self, topic_key: str) -> TopicStatus:
        return topic_status(self.dataset.topics[topic_key], self.conflicts)

    def ordered_conflicts(self, include_resolved: bool = False, topics: Iterable[str] = ()) -> list[Conflict]:
        """Conflicts most severe first; resolved ones only when asked for."""
        wanted = set(topics)
        chosen = [c for c in self.conflicts.values()
                  if (include_resolved or c.status != "resolved") and (not wanted or c.topic.key in wanted)]
        return sorted(chosen, key=lambda c: (-c.rank, c.topic.key))


def analyze(folder: Path, *, check: bool = False, only: Iterable[Path] | None = None,
            only_topics: Iterable[str] = (), overrides: Mapping[Path, str] | None = None,
            save_in_background: bool = False, progress: ReadProgress | None = None) -> Report:
    """Load `folder`, find its conflicts and, with `check`, run every check (limited to `only` files, and to
    claims on `only_topics`, if given). `save_in_background`: the file cache may still be being written when
    this returns (see FileCache.save). `progress`: told how the reading of the files goes."""
    dataset = load_folder(folder, overrides, progress)
    conflicts = find_conflicts(dataset)
    problems: list[Problem] = list(dataset.problems)
    if check:
        from claimtrack.checks import limit_to_files, run_checks

        problems = run_checks(dataset, conflicts)
        if only is not None:
            problems = limit_to_files(problems, only, only_topics)
    if dataset.cache is not None:
        dataset.cache.save(save_in_background)  # after the checks: the entries carry the positions they looked up
    return Report(dataset, conflicts, tuple(problems))
