"""`mmjourney graph --out story.html`: one self-contained page, every scene on it, story text escaped."""

from __future__ import annotations

import base64
import hashlib
import re
import shutil

import pytest

from mmjourney.story import load_story
from mmjourney.tools.graph import Edge, Graph, Node, build, explore_and_build
from mmjourney.tools.graph_html import RATING_GLYPHS, SCRIPT, layout, to_html

from .conftest import FIXTURES, STORIES, TOOLS_FIXTURES, run_cli

DEFECTS = TOOLS_FIXTURES / "defects.yaml"
INJECTION = '<script>window.injected = 1</script><img src="x" onerror="window.injected = 2">'


def injected_story(tmp_path):
    """The clinic fixture with markup in a scene's text and a choice's label, as an author might paste it."""
    text = (FIXTURES / "clinic.yaml").read_text(encoding="utf-8")
    quoted = '"' + INJECTION.replace('"', '\\"') + '"'
    text = text.replace('text: "Ada arrives thirsty and tired. [b]x [/ markup stays text."', f"text: {quoted}")
    text = text.replace("label: Start IV fluids", f"label: {quoted}")
    shutil.copytree(FIXTURES / "fragments", tmp_path / "fragments", dirs_exist_ok=True)
    path = tmp_path / "injected.yaml"
    path.write_text(text, encoding="utf-8")
    story = load_story(path)
    assert any(scene.full_text == INJECTION for scene in story.model.scenes.values())
    assert any(c.label == INJECTION for s in story.model.scenes.values() for c in s.choices or ())
    return path


@pytest.fixture(scope="module")
def defects():
    graph = explore_and_build(load_story(DEFECTS))
    return graph, to_html(graph)


def test_every_scene_and_event_is_on_the_map_with_its_details(defects):
    graph, page = defects
    assert page.startswith("<!DOCTYPE html>") and page.count("<svg") == 1 + page.count('<li><svg')
    for node in graph.nodes:
        assert page.count(f'data-node="{node.id}"') == 1, node.id
        assert f'<section class="detail" id="d-{node.id}" hidden>' in page
    scenes = [n for n in graph.nodes if n.id.startswith("s_")]
    assert len(re.findall(r'<g class="node ', page)) == len(graph.nodes) and f"({len(scenes)} scenes)" in page
    assert "Nothing leads here." in page  # the orphan's text, shown on a click


def test_unreachable_scenes_and_never_available_choices_are_marked_in_words(defects):
    _, page = defects
    for scene in ("s_orphan", "s_ending_lost", "s_ending_poor"):
        node = re.search(rf'<g class="([^"]*)" id="n-{scene}"', page)
        assert node and "unreached" in node.group(1).split()
        assert re.search(rf'id="d-{scene}" hidden><h2>[^<]*\(unreachable\)</h2>'
                         r'<p class="facts">[^<]*unreachable: no journey gets here', page)
    assert 'class="node scene start"' in page and "▶ start" in page
    assert "★ best (never available)" in page
    reached = re.search(r'<g class="([^"]*)" id="n-s_review"', page)
    assert reached and "unreached" not in reached.group(1)


def test_ratings_are_told_by_glyph_and_word_in_the_legend_and_on_each_arrow(defects):
    graph, page = defects
    legend = page.split('<div class="legend">', 1)[1]
    for rating, glyph in RATING_GLYPHS.items():
        assert f"{glyph} {rating}</li>" in legend
    assert "⚠ critical error" in legend and "never available" in legend and "unreachable</li>" in legend
    for kind in ("good ending", "mixed ending", "poor ending", "question", "page", "event"):
        assert f"{kind}</li>" in legend
    tags = re.findall(r'<g class="tag"[^>]*><title>[^<]*</title><rect[^>]*/><text[^>]*>([^<]*)</text>', page)
    assert len(tags) == sum(1 for e in graph.edges if e.kind == "choice")
    assert "⚠ critical, harmful" in tags and "✗ poor" in tags and "★ best" in tags


def test_the_page_asks_for_nothing_outside_itself(defects):
    _, page = defects
    assert re.findall(r"https?://[^\"' ]+", page) == ["http://www.w3.org/2000/svg"]  # a namespace name, not fetched
    assert not re.search(r"\b(src|href)=", page) and "@import" not in page and "url(" not in page.replace(
        "url(#arrow", "")
    digest = base64.b64encode(hashlib.sha256(SCRIPT.encode("utf-8")).digest()).decode("ascii")
    assert f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{digest}'" in page
    assert page.count("<script>") == 1 and f"<script>{SCRIPT}</script>" in page


def test_story_text_is_escaped_not_run(tmp_path):
    page = to_html(explore_and_build(load_story(injected_story(tmp_path))))
    assert page.count("<script") == 1 and "<img" not in page and "onerror=\"" not in page
    escaped = "&lt;script&gt;window.injected = 1&lt;/script&gt;&lt;img src=&quot;x&quot; onerror=&quot;"
    assert escaped in page.split('<section class="detail"', 1)[1]  # the scene text and the choice's label


def test_a_forty_scene_story_is_laid_out_without_overlaps():
    graph = build(load_story(STORIES / "transplant-road.yaml"))  # the layout, so no exploration
    assert sum(1 for n in graph.nodes if n.id.startswith("s_")) >= 35 and any(n.kind == "event" for n in graph.nodes)
    placed = layout(graph)
    boxes = [b for b in placed.boxes.values() if b.node is not None]
    assert len(boxes) == len(graph.nodes)
    by_layer: dict[int, list] = {}
    for box in boxes:
        assert 0 <= box.x - box.width / 2 and box.x + box.width / 2 <= placed.width
        by_layer.setdefault(box.layer, []).append(box)
    for row in by_layer.values():
        row.sort(key=lambda b: b.x)
        for left, right in zip(row, row[1:], strict=False):
            assert left.x + left.width / 2 < right.x - right.width / 2, (left.id, right.id)
    start = next(b for b in boxes if b.node.start)
    assert start.layer == min(b.layer for b in boxes if b.node.kind != "event")


def test_an_event_on_the_start_scene_sits_above_it_and_a_loop_is_drawn():
    graph = Graph("Tiny", [Node("s_a", "a", "scene", start=True), Node("s_b", "b", "ending", "good"),
                           Node("e_x", "event x", "event")],
                  [Edge("s_a", "s_a", "Ask again", "choice", "poor", text="Ask again"),
                   Edge("s_a", "s_b", "Go", "choice", "best", text="Go"), Edge("e_x", "s_a", "interrupts", "event")])
    placed = layout(graph)
    assert [placed.boxes[n].layer for n in ("e_x", "s_a", "s_b")] == [0, 1, 2]
    page = to_html(graph)
    assert page.count('class="edge choice"') == 2 and "✗ poor: Ask again" in page


def test_the_command_writes_html_from_the_extension_or_the_format(tmp_path):
    result = run_cli("graph", DEFECTS, "--out", tmp_path / "story.html")
    assert result.returncode == 0 and "wrote" in result.stderr
    assert (tmp_path / "story.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    printed = run_cli("graph", DEFECTS, "--format", "html")
    assert printed.returncode == 0 and printed.stdout.startswith("<!DOCTYPE html>")


def test_advice_without_graphviz_leads_to_the_html_map_not_round_in_a_circle(tmp_path):
    empty = tmp_path / "bin"
    empty.mkdir()
    missing = run_cli("graph", DEFECTS, "--out", tmp_path / "story.svg", env_path=str(empty))
    assert missing.returncode == 1 and "`--out story.html` writes the map as a web page" in missing.stderr
    wrong = run_cli("graph", DEFECTS, "--format", "mermaid", "--out", tmp_path / "story.svg")
    assert wrong.returncode == 1 and "--format dot" not in wrong.stderr
    assert "write --out story.html (any web browser opens it), or --out story.md for Mermaid" in wrong.stderr
    followed = run_cli("graph", DEFECTS, "--out", tmp_path / "story.html", env_path=str(empty))
    assert followed.returncode == 0, followed.stderr
