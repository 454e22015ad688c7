"""Regenerate docs/checks.md from docs/gen/checks.md.tmpl with real claimtrack output: python docs/gen/checks_doc.py"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from tests.test_checks import ASATRYAN, CASES, EURASIANET, TOPICS  # noqa: E402 — needs the sys.path insert above

EX = {}
for param in CASES:
    code, files, topics, *_ = param.values
    EX[param.id] = (files, topics, None)
AGREE = EURASIANET.replace("Tajik-Taliban Relations Slowly Warm", "Border Security Review")
EX["stale-resolution"] = ({"eurasianet-2025.yaml": EURASIANET, "review-2025.yaml": AGREE}, """\
    topics:
      border-length:
        title: Length of the Tajikistan–Afghanistan border
        unit: km
        resolution:
          status: explained
          covers: [eurasianet-2025/border-length, review-2025/border-length]
    """, None)
KAURA = """\
    source:
      title: Tajikistan's Afghan border
    claims:
      - topic: border-length
        value: more than 1,400 km
        quote: "a border of more than 1,400 km"
    """
EX["reopened"] = ({"asatryan-2024.yaml": ASATRYAN, "eurasianet-2025.yaml": EURASIANET, "kaura-2021.yaml": KAURA},
                  TOPICS + "    resolution:\n      status: explained\n"
                  "      covers: [asatryan-2024/border-length, eurasianet-2025/border-length]\n", None)
EX["internal"] = ({"eurasianet-2025.yaml": """\
    source:
      title: Tajik-Taliban Relations Slowly Warm
    claims:
      - topic: border-length
        value: "1,374 km"
        quote: "a rugged 1,374-kilometer-long border"
      - topic: border-length
        value: "1,344 km"
        quote: "the 1,344 km frontier"
    """}, TOPICS, None)
def big(root): (root / "claims/eurasianet-2025.yaml").write_text("source:\n  title: T\n" + "#" * 6_000_000 + "\n")
EX["file-too-large"] = ({}, TOPICS, big)
def outside(root):
    (root / "shared").mkdir()
    (root / "shared/eurasianet-2025.yaml").write_text(textwrap.dedent(EURASIANET))
    os.symlink("../shared/eurasianet-2025.yaml", root / "claims/eurasianet-2025.yaml")
EX["outside-folder"] = ({}, TOPICS, outside)
def dangling(root): os.symlink("drafts/eurasianet-2025.yaml", root / "claims/eurasianet-2025.yaml")
EX["unreadable-file"] = ({}, TOPICS, dangling)

def build(name):
    files, topics, setup = EX[name]
    temp = Path(tempfile.gettempdir())
    root = temp / "claims-repo" if name == "outside-folder" else temp / "claimtrack-doc" / name
    shutil.rmtree(root, ignore_errors=True)
    (root / "claims").mkdir(parents=True)
    if topics is not None:
        (root / "claims/topics.yaml").write_text(textwrap.dedent(topics))
    for f, t in files.items():
        p = root / "claims" / f
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(t) if isinstance(t, bytes) else p.write_text(textwrap.dedent(t))
    if setup:
        setup(root)
    return root

def output(name, code=None):
    root = build(name)
    r = subprocess.run(["claimtrack", "check"], cwd=root, capture_output=True, text=True,
                       env={**os.environ, "COLUMNS": "200"})
    assert r.returncode in (0, 1), r
    lines = [line for line in r.stdout.splitlines() if re.search(r"\[[a-z0-9-]+\]$", line)]
    if code:
        lines = [line for line in lines if line.endswith(f"[{code}]")]
    assert lines, (name, r.stdout)
    return "\n".join(lines), r.returncode

def yaml_of(name, file):
    files, topics, _ = EX[name]
    text = topics if file == "topics.yaml" else files[file]
    return textwrap.dedent(text).rstrip("\n")

tmpl = Path(__file__).with_name("checks.md.tmpl").read_text()
def sub(m):
    kind, name, arg = m.group(1), m.group(2), m.group(3)
    if kind == "yaml":
        return yaml_of(name, arg)
    out, _ = output(name, arg or None)
    return out
text = re.sub(r"\{\{(yaml|out):([a-z0-9-]+)(?::([^}]*))?\}\}", sub, tmpl)
(ROOT / "docs" / "checks.md").write_text(text)
print("ok")
