"""`mmjourney graph`: Mermaid and DOT, styled by rating, unreachable parts marked, story text escaped."""

from __future__ import annotations

import re
import shutil

import pytest

from mmjourney.story import load_story
from mmjourney.tools.graph import build, explore_and_build, to_dot, to_mermaid

from .conftest import FIXTURES, TOOLS_FIXTURES, run_cli

DEFECTS = TOOLS_FIXTURES / "defects.yaml"
HAS_DOT = shutil.which("dot") is not None


@pytest.fixture(scope="module")
def defects_graph():
    return explore_and_build(load_story(DEFECTS))


def test_unreachable_scenes_and_never_available_choices_are_marked(defects_graph):
    nodes = {n.id: n for n in defects_graph.nodes}
    assert {i for i, n in nodes.items() if not n.reached} == {"s_orphan", "s_ending_lost", "s_ending_poor"}
    assert nodes["s_arrival"].start and nodes["s_ending_good"].ending == "good"
    untaken = {e.label.split("\n(")[0].replace("\n", " ") for e in defects_graph.edges if not e.taken}
    assert {"Always greyed out", "Never offered", "Teach the objective nobody reaches"} <= untaken
    (critical,) = [e for e in defects_graph.edges if e.critical]
    assert critical.rating == "harmful" and critical.label.startswith("⚠ ")


def test_mermaid_styles_edges_by_rating_and_flags_the_unreachable(defects_graph):
    text = to_mermaid(defects_graph)
    assert text.startswith('---\ntitle: "Every defect check finds"\n---\nflowchart TD\n')
    assert 's_arrival ==>|"⚠ Stat pinned at its maximum<br/>(harmful)"| s_review' in text
    assert 's_review -.->|"Always greyed out<br/>(best) (never available)"| s_wrap' in text
    assert re.search(r"classDef unreached .*stroke-dasharray", text)
    assert re.search(r"class s_ending_poor,s_orphan,s_ending_lost unreached|class .*s_orphan.* unreached", text)
    styles = [line for line in text.splitlines() if line.strip().startswith("linkStyle")]
    assert any("stroke:#2e7d32" in s and "stroke-width:2px" in s for s in styles)  # best
    assert any("stroke:#ef6c00" in s and "stroke-dasharray" in s for s in styles)  # poor


def test_dot_marks_endings_events_and_resume():
    text = to_dot(explore_and_build(load_story(FIXTURES / "clinic.yaml")))
    assert text.startswith("digraph story {") and text.rstrip().endswith("}")
    assert '"s_home" [label="home\\nHome safely", shape=doubleoctagon, fillcolor="#c8e6c9"]' in text
    assert '"e_fever" [label="event fever\\nwhen temperature >= 38", shape=hexagon' in text
    assert '"s_fever_call" -> "r_resume"' in text and '"e_fever" -> "s_fever_call"' in text


TRAP = 'Say "q" ]][x]{y}<b>#1|`t`\\N\\G\\z &'  # short enough not to be shortened


@pytest.fixture
def trap_story(tmp_path):
    text = (FIXTURES / "clinic.yaml").read_text(encoding="utf-8")
    text = text.replace("label: Start IV fluids", "label: " + '"' + TRAP.replace("\\", "\\\\").replace('"', '\\"')
                        + '"')
    path = tmp_path / "trap.yaml"
    shutil.copytree(FIXTURES / "fragments", tmp_path / "fragments")
    path.write_text(text, encoding="utf-8")
    story = load_story(path)
    assert any(c.label == TRAP for s in story.model.scenes.values() for c in s.choices or ())
    return path


def test_story_text_cannot_break_or_inject_into_mermaid(trap_story):
    graph = build(load_story(trap_story))
    text = to_mermaid(graph)
    line = next(line for line in text.splitlines() if "Say" in line)
    label = line.split('|"', 1)[1].rsplit('"|', 1)[0]
    assert label.count("<") == label.count("<br/>") and '"' not in label
    assert label.startswith("Say #quot;q#quot;<br/>#93;#93;#91;x#93;#123;y#125;#lt;b#gt;#35;1#124;#96;t#96;"
                            "\\N\\G\\z #amp;<br/>(best)")


def test_story_text_cannot_break_dot(trap_story):
    text = to_dot(build(load_story(trap_story)))
    line = next(line for line in text.splitlines() if "Say" in line)
    assert 'label="Say \\"q\\"\\n]][x]{y}<b>#1|`t`\\\\N\\\\G\\\\z &\\n(best)"' in line


@pytest.mark.skipif(not HAS_DOT, reason="Graphviz is not installed")
def test_graphviz_draws_the_escaped_text_literally(trap_story, tmp_path):
    out = tmp_path / "trap.svg"
    result = run_cli("graph", trap_story, "--out", out)
    assert result.returncode == 0, result.stderr
    svg = out.read_text(encoding="utf-8")
    assert ">Say &quot;q&quot;<" in svg and ">]][x]{y}&lt;b&gt;#1|`t`\\N\\G\\z &amp;<" in svg


def test_without_graphviz_the_command_says_how_to_install_it(tmp_path):
    empty = tmp_path / "bin"
    empty.mkdir()
    result = run_cli("graph", DEFECTS, "--out", tmp_path / "story.svg", env_path=str(empty))
    assert result.returncode == 1 and not (tmp_path / "story.svg").exists()
    assert "Graphviz's `dot` program is needed" in result.stderr and "sudo apt install graphviz" in result.stderr
    assert "https://graphviz.org/download/" in result.stderr


def test_the_command_prints_mermaid_and_writes_text_formats(tmp_path):
    printed = run_cli("graph", DEFECTS)
    assert printed.returncode == 0 and "flowchart TD" in printed.stdout
    assert run_cli("graph", DEFECTS, "--out", tmp_path / "story.dot").returncode == 0
    assert (tmp_path / "story.dot").read_text(encoding="utf-8").startswith("digraph story {")
    assert run_cli("graph", DEFECTS, "--out", tmp_path / "story.md").returncode == 0
    assert (tmp_path / "story.md").read_text(encoding="utf-8").startswith("```mermaid\n---\n")
    wrong = run_cli("graph", DEFECTS, "--format", "mermaid", "--out", tmp_path / "story.svg")
    assert wrong.returncode == 1 and "drawn by Graphviz" in wrong.stderr
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: [\n", encoding="utf-8")
    failed = run_cli("graph", broken)
    assert failed.returncode == 1 and f"{broken}:" in failed.stderr and failed.stdout == ""


def test_a_budget_that_runs_out_is_mentioned(tmp_path):
    result = run_cli("graph", TOOLS_FIXTURES / "endless.yaml", "--max-states", "20")
    assert result.returncode == 0 and "exploration stopped after 20 states / " in result.stderr


def test_a_clean_story_has_nothing_flagged():
    graph = explore_and_build(load_story(TOOLS_FIXTURES / "clean.yaml"))
    assert all(n.reached for n in graph.nodes) and all(e.taken for e in graph.edges)
    text = to_mermaid(graph)
    assert "unreached" not in text and "never available" not in text and "(unreachable)" not in text
