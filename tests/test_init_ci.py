"""What `init` writes for a claims repository's CI works where a user runs it (issue 18, item 6): the
pre-commit hook end to end in a temporary git repository, the workflow's install step, and a second `init`
that does not bring back a deleted example."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from claimtrack import scaffold

BIN = Path(sys.executable).parent  # where this environment's `claimtrack` and `pre-commit` scripts are
pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def _env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", "NO_COLOR": "1",
            "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "GIT_AUTHOR_NAME": "t", "GIT_COMMITTER_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_EMAIL": "t@example.org"}


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False)


def test_the_pre_commit_hook_init_writes_refuses_a_contradiction(tmp_path: Path) -> None:
    pytest.importorskip("pre_commit")
    repo, env = tmp_path / "repo", _env(tmp_path)
    repo.mkdir()
    assert _run(["git", "init", "-q", "-b", "main"], repo, env).returncode == 0
    init = _run([sys.executable, "-m", "claimtrack", "init", "."], repo, env)
    assert init.returncode == 0, init.stderr
    assert _run(["git", "add", "-A"], repo, env).returncode == 0
    assert _run(["git", "commit", "-q", "-m", "scaffold"], repo, env).returncode == 0
    installed = _run([sys.executable, "-m", "pre_commit", "install"], repo, env)
    assert installed.returncode == 0, installed.stdout + installed.stderr

    # the example says 1,344 km; a new source says 1,500 km, with no resolution: the commit is refused
    (repo / "claims/sources/other-2025.yaml").write_text(
        "source:\n  id: other-2025\n  title: Another article\nclaims:\n  - topic: border-length\n"
        '    value: "1,500 km"\n    quote: "a 1,500 km border"\n')
    _run(["git", "add", "-A"], repo, env)
    refused = _run(["git", "commit", "-q", "-m", "a contradiction"], repo, env)
    said = refused.stdout + refused.stderr  # git passes on the hook's output on stderr
    assert refused.returncode != 0
    assert "claimtrack check" in said and "[unresolved-conflict]" in said, said

    (repo / "claims/sources/other-2025.yaml").write_text(
        (repo / "claims/sources/other-2025.yaml").read_text().replace("1,500", "1,344"))
    _run(["git", "add", "-A"], repo, env)
    accepted = _run(["git", "commit", "-q", "-m", "agrees"], repo, env)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert "Passed" in accepted.stdout + accepted.stderr


def _install_step(workflow: Path) -> str:
    steps = yaml.safe_load(workflow.read_text())["jobs"]["check"]["steps"]
    return next(step["run"] for step in steps if step.get("name") == "Install claimtrack")


def _run_install_step(tmp_path: Path, workflow: Path) -> tuple[subprocess.CompletedProcess[str], str]:
    """The workflow's install step under sh, with the env it declares and a `pip` that only records."""
    fake = tmp_path / "fakebin"
    fake.mkdir(exist_ok=True)
    log = tmp_path / "pip.log"
    (fake / "pip").write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > {log}\n')
    (fake / "pip").chmod(0o755)
    declared = yaml.safe_load(workflow.read_text())["env"]
    env = {**os.environ, **declared, "PATH": f"{fake}{os.pathsep}{os.environ.get('PATH', '')}"}
    done = subprocess.run(["sh", "-c", _install_step(workflow)], env=env, capture_output=True, text=True,
                          timeout=60, check=False)
    return done, log.read_text() if log.exists() else ""


def test_the_workflow_refuses_to_run_until_told_how_to_install_claimtrack(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "claimtrack", "init", str(tmp_path / "repo")], capture_output=True,
                          text=True, timeout=60, env=_env(tmp_path), check=False)
    assert done.returncode == 0 and "set CLAIMTRACK in" in done.stdout  # said plainly
    workflow = tmp_path / "repo" / scaffold.WORKFLOW_PATH
    assert "FILL IN" in workflow.read_text() and "pip install claimtrack\n" not in workflow.read_text()
    ran, pip_args = _run_install_step(tmp_path, workflow)
    assert ran.returncode == 1 and "::error::set CLAIMTRACK" in ran.stdout and pip_args == ""


def test_init_with_a_requirement_writes_it_into_the_workflow(tmp_path: Path) -> None:
    wheel = "claimtrack @ https://example.org/dist/claimtrack-0.1.0-py3-none-any.whl"
    done = subprocess.run([sys.executable, "-m", "claimtrack", "init", str(tmp_path / "repo"), "--requirement", wheel],
                          capture_output=True, text=True, timeout=60, env=_env(tmp_path), check=False)
    assert done.returncode == 0 and "set CLAIMTRACK" not in done.stdout
    workflow = tmp_path / "repo" / scaffold.WORKFLOW_PATH
    assert yaml.safe_load(workflow.read_text())["env"]["CLAIMTRACK"] == wheel
    ran, pip_args = _run_install_step(tmp_path, workflow)
    assert ran.returncode == 0 and pip_args.splitlines() == ["install", wheel]


def test_a_requirement_on_two_lines_is_refused(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "claimtrack", "init", str(tmp_path / "repo"), "--requirement",
                           "claimtrack\nrun: evil"], capture_output=True, text=True, timeout=60, env=_env(tmp_path),
                          check=False)
    assert done.returncode == 2 and not (tmp_path / "repo").exists()


def test_a_claimtrack_installed_from_git_pins_that_commit(monkeypatch: pytest.MonkeyPatch) -> None:
    """pip records a VCS install in direct_url.json (PEP 610): the workflow and pre-commit use that commit."""
    from importlib import metadata

    class Installed:
        def read_text(self, name: str) -> str | None:
            assert name == "direct_url.json"
            return json.dumps({"url": "https://git.example.org/tools/claimtrack.git",
                               "vcs_info": {"vcs": "git", "commit_id": "0123456789abcdef0123456789abcdef01234567"}})

    monkeypatch.setattr(metadata, "distribution", lambda name: Installed())
    files = scaffold.scaffold_files()
    workflow = yaml.safe_load(files[scaffold.WORKFLOW_PATH])
    assert workflow["env"]["CLAIMTRACK"] == ("claimtrack @ git+https://git.example.org/tools/claimtrack.git"
                                            "@0123456789abcdef0123456789abcdef01234567")
    hooks = yaml.safe_load(files[".pre-commit-config.yaml"])["repos"][0]
    assert hooks == {"repo": "https://git.example.org/tools/claimtrack.git",
                     "rev": "0123456789abcdef0123456789abcdef01234567", "hooks": [{"id": "claimtrack-check"}]}


def test_init_again_does_not_bring_back_a_deleted_example(tmp_path: Path) -> None:
    repo = tmp_path / "repo"

    def init() -> None:
        done = subprocess.run([sys.executable, "-m", "claimtrack", "init", str(repo)], capture_output=True, text=True,
                              timeout=60, env=_env(tmp_path), check=False)
        assert done.returncode == 0, done.stderr

    init()
    (repo / "claims/sources/example-2025.yaml").unlink()  # the user's data: deleted on purpose
    (repo / ".claimtrack/schema/source.json").unlink()  # part of the scaffold, not data
    init()
    assert not (repo / "claims/sources/example-2025.yaml").exists()
    assert (repo / ".claimtrack/schema/source.json").exists()
