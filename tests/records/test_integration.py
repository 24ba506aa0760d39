"""How the records plug into the rest: no Textual below the TUI, and the commands fit the real CLI."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from mmjourney.cli import build_parser

from .conftest import play

PACKAGE = Path(__file__).resolve().parents[2] / "mmjourney" / "records"


def test_records_never_import_textual():
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            assert not any(n == "textual" or n.startswith("textual.") for n in names), f"{path}:{node.lineno}"
    code = ("import sys, mmjourney.records, mmjourney.records.exports, mmjourney.records.report, "
            "mmjourney.records.xapi, mmjourney.records.progress; "
            "print(any(m.startswith('textual') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_registering_the_commands_is_cheap():
    code = "import sys, mmjourney.records.cli; print(sorted(m for m in sys.modules if m.startswith('mmjourney')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['mmjourney', 'mmjourney.lazy', 'mmjourney.records', 'mmjourney.records.cli']"


def test_the_mmjourney_command_offers_export_and_report(clinic, capsys):
    parser = build_parser()
    play(clinic)
    args = parser.parse_args(["export", "--last", "--format", "md"])
    assert args.run(args) == 0
    assert capsys.readouterr().out.startswith("# Debrief: Test clinic")
    args = parser.parse_args(["report", "nothing.json"])
    assert args.run(args) == 1
