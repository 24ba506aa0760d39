"""`mmjourney graph`: the story as a graph, in Mermaid or Graphviz DOT (the HTML map is graph_html).

Scenes are boxes (questions and automatic pages drawn differently, endings coloured by
kind, the start scene bold); choices are arrows labelled with their text and styled by
rating (critical errors marked); chance outcomes, routes, events and `resume` have their
own arrows. An exploration of the story marks what no journey reaches: scenes greyed
and dashed, choices that are never available dotted.

Every piece of story text is escaped for the target language: labels can contain quotes,
brackets, `#`, `<` or backslashes without breaking the graph or being read as markup.
"""

from __future__ import annotations

import shutil
import subprocess
import textwrap
from dataclasses import dataclass, field

from ..story import LoadedStory
from ..story.checks import RESUME
from .explore import DEFAULT_MAX_SECONDS, Exploration, explore

LABEL_WIDTH = 36
RATING_COLOURS = {"best": "#2e7d32", "acceptable": "#1565c0", "poor": "#ef6c00", "harmful": "#c62828"}
ENDING_COLOURS = {"good": "#c8e6c9", "mixed": "#ffe0b2", "poor": "#ffcdd2"}
UNREACHED = "#9e9e9e"
RENDERED = {".svg": "svg", ".png": "png", ".pdf": "pdf"}
INSTALL_GRAPHVIZ = (
    "Graphviz's `dot` program is needed to draw an image, and it is not installed. Install it with "
    "`sudo apt install graphviz` (Debian, Ubuntu), `sudo dnf install graphviz` (Fedora), `brew install graphviz` "
    "(macOS) or `winget install graphviz` (Windows), or see https://graphviz.org/download/. Meanwhile "
    "`--out story.html` writes the map as a web page that any browser opens (no install, no network), "
    "`--out story.md` a Mermaid graph that GitHub, GitLab and many Markdown editors draw themselves, and "
    "`--out story.dot` the graph as Graphviz text."
)


@dataclass
class Node:
    id: str  # s_<scene id>, e_<event id> or r_resume: safe in both languages, never clashing
    label: str
    kind: str  # scene, question, page, ending, event, resume
    ending: str | None = None  # good, mixed, poor
    start: bool = False
    reached: bool = True
    text: str = ""  # what the learner reads there (a scene's text), for maps that show it on demand


@dataclass
class Edge:
    source: str
    target: str
    label: str
    kind: str  # choice, outcome, route, question, event
    rating: str | None = None
    critical: bool = False
    taken: bool = True
    text: str = ""  # a choice's whole label, uncut, for maps that show it on demand


@dataclass
class Graph:
    title: str
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    complete: bool = True  # the exploration behind the reached/taken marks finished
    stopped: str = ""  # else why it stopped


def _short(text: str, width: int = LABEL_WIDTH) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _wrap(text: str, width: int = 26, lines: int = 3) -> str:
    """Story text on at most `lines` lines of about `width` characters, cut with '…' when longer."""
    wrapped = textwrap.wrap(" ".join(str(text).split()), width, break_long_words=False,
                            break_on_hyphens=False) or [""]
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = _short(wrapped[-1] + " …", width)
    return "\n".join(wrapped)


def build(story: LoadedStory, exploration: Exploration | None = None) -> Graph:
    """The story's graph; with an exploration, what no journey reaches is marked."""
    model = story.model
    reached = set(exploration.scenes) if exploration else set(model.scenes)
    taken = exploration.choices if exploration else {c.id for s in model.scenes.values() for c in s.choices or ()}
    graph = Graph(model.title, complete=exploration.complete if exploration else True,
                  stopped=exploration.stopped if exploration else "")
    resume_used = False
    for scene_id, scene in model.scenes.items():
        title = scene.ending.title if scene.ending else (scene.title or scene.phase)
        label = f"{scene_id}\n{_wrap(title)}"
        kind = "scene" if scene.kind == "choices" else scene.kind  # a decision is drawn as a plain scene
        if scene_id not in reached:
            label += "\n(unreachable)"
        here = f"s_{scene_id}"
        graph.nodes.append(Node(here, label, kind, scene.ending.kind if scene.ending else None,
                                scene_id == model.start, scene_id in reached, scene.full_text))
        for route in scene.next or ():
            if len(scene.next) == 1:
                text = "continue"
            else:
                text = f"if {_short(route.condition, 44)}" if route.condition else "otherwise"
            graph.edges.append(Edge(here, f"s_{route.goto}", text, "route",
                                    taken=scene_id in reached and route.goto in reached))
        if scene.question:
            question = scene.question
            graph.edges.append(Edge(here, f"s_{question.goto}", f"answer: {_short(question.prompt)}", "question",
                                    taken=scene_id in reached))
        for choice in scene.choices or ():
            is_taken = choice.id in taken
            prefix = "⚠ " if choice.critical else ""
            base = f"{prefix}{_wrap(choice.label)}\n({choice.rating})"
            if not is_taken and scene_id in reached:
                base += " (never available)"
            targets: dict[str, list[str]] = {}
            if choice.chance:
                total = sum(o.weight for o in choice.chance)
                for outcome in choice.chance:
                    target = outcome.goto or choice.goto
                    targets.setdefault(target, []).append(f"{100 * outcome.weight / total:.0f}%")
            else:
                targets[choice.goto] = []
            for target, chances in targets.items():
                label = base + (f"\nchance {' + '.join(chances)}" if chances and len(targets) > 1 else "")
                if target == RESUME:
                    resume_used = True
                graph.edges.append(Edge(here, "r_resume" if target == RESUME else f"s_{target}", label, "choice",
                                        choice.rating, choice.critical, is_taken, choice.label))
    if resume_used:
        graph.nodes.append(Node("r_resume", "back to where the\nevent interrupted", "resume"))
    for event in model.events:
        node_id = f"e_{event.id}"
        graph.nodes.append(Node(node_id, f"event {event.id}\nwhen {_short(event.when, 44)}", "event",
                                reached=event.scene in reached))
        graph.edges.append(Edge(node_id, f"s_{event.scene}", "interrupts", "event", taken=event.scene in reached))
    return graph


def explore_and_build(story: LoadedStory, max_states: int = 200_000,
                      max_seconds: float | None = DEFAULT_MAX_SECONDS) -> Graph:
    return build(story, explore(story, max_states=max_states, keep_going=True, max_seconds=max_seconds))


# --- Graphviz DOT --------------------------------------------------------------------------------


def _dot_string(text: str) -> str:
    """A DOT double-quoted string; backslashes doubled so `\\N` or `\\G` in story text stay text."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "")
    return '"' + escaped.replace("\n", "\\n") + '"'


def _dot_id(node_id: str) -> str:
    return _dot_string(node_id)


def to_dot(graph: Graph) -> str:
    lines = [
        "digraph story {",
        f"  label={_dot_string(graph.title)}; labelloc=t; fontname=\"Helvetica\"; rankdir=TB;",
        '  node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname="Helvetica", fontsize=11];',
        '  edge [fontname="Helvetica", fontsize=9];',
    ]
    for node in graph.nodes:
        attrs = {"label": _dot_string(node.label)}
        if node.kind == "ending":
            attrs.update(shape="doubleoctagon", fillcolor=_dot_string(ENDING_COLOURS.get(node.ending, "#eeeeee")))
        elif node.kind == "question":
            attrs.update(shape="note", fillcolor='"#e3f2fd"')
        elif node.kind == "page":
            attrs.update(style='"rounded,filled,dashed"', fillcolor='"#fafafa"')
        elif node.kind == "event":
            attrs.update(shape="hexagon", fillcolor='"#fff9c4"')
        elif node.kind == "resume":
            attrs.update(shape="oval", fillcolor='"#f5f5f5"')
        if node.start:
            attrs.update(penwidth="3")
        if not node.reached:
            attrs.update(color=_dot_string(UNREACHED), fontcolor=_dot_string(UNREACHED),
                         style='"rounded,filled,dashed"', fillcolor='"#f5f5f5"')
        lines.append(f"  {_dot_id(node.id)} [{', '.join(f'{k}={v}' for k, v in attrs.items())}];")
    for edge in graph.edges:
        attrs = {"label": _dot_string(edge.label)}
        if edge.kind == "choice":
            colour = RATING_COLOURS.get(edge.rating, "#000000")
            attrs.update(color=_dot_string(colour), fontcolor=_dot_string(colour))
            if edge.rating in ("poor", "harmful"):
                attrs["style"] = "dashed"
            if edge.rating == "best":
                attrs["penwidth"] = "2"
            if edge.critical:
                attrs.update(penwidth="3", style="bold")
        elif edge.kind == "event":
            attrs.update(style="dotted", color='"#f9a825"')
        else:
            attrs.update(color='"#616161"')
        if not edge.taken:
            attrs.update(style="dotted", color=_dot_string(UNREACHED), fontcolor=_dot_string(UNREACHED))
        lines.append(f"  {_dot_id(edge.source)} -> {_dot_id(edge.target)} "
                     f"[{', '.join(f'{k}={v}' for k, v in attrs.items())}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


# --- Mermaid --------------------------------------------------------------------------------------

_MERMAID_ENTITIES = {"&": "#amp;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "#": "#35;", "|": "#124;",
                     "`": "#96;", "[": "#91;", "]": "#93;", "{": "#123;", "}": "#125;"}


def _mermaid_text(text: str) -> str:
    """Story text inside a Mermaid quoted label: entities for everything Mermaid could read as syntax."""
    escaped = "".join(_MERMAID_ENTITIES.get(char, char) for char in text.replace("\r", ""))
    return "<br/>".join(escaped.split("\n"))


def _mermaid_id(node_id: str) -> str:
    return node_id  # prefixed names (s_end, not end), so Mermaid keywords never appear as ids


def to_mermaid(graph: Graph) -> str:
    lines = ["---", f"title: {_yaml_title(graph.title)}", "---", "flowchart TD"]
    classes: dict[str, list[str]] = {}
    for node in graph.nodes:
        text = f'"{_mermaid_text(node.label)}"'
        shape = {"ending": f"([{text}])", "question": f"[/{text}/]", "page": f"[{text}]",
                 "event": f"{{{{{text}}}}}", "resume": f"(({text}))"}.get(node.kind, f"({text})")
        lines.append(f"  {_mermaid_id(node.id)}{shape}")
        css = "unreached" if not node.reached else (f"ending_{node.ending}" if node.kind == "ending" else node.kind)
        classes.setdefault(css, []).append(_mermaid_id(node.id))
        if node.start and node.reached:
            classes.setdefault("start", []).append(_mermaid_id(node.id))
    styles = []
    for number, edge in enumerate(graph.edges):
        arrow = "-.->" if edge.kind == "event" or not edge.taken else "==>" if edge.critical else "-->"
        lines.append(f"  {_mermaid_id(edge.source)} {arrow}|\"{_mermaid_text(edge.label)}\"| "
                     f"{_mermaid_id(edge.target)}")
        if not edge.taken:
            styles.append(f"  linkStyle {number} stroke:{UNREACHED},color:{UNREACHED},stroke-dasharray:2 4")
        elif edge.kind == "choice":
            colour = RATING_COLOURS.get(edge.rating, "#000000")
            dash = ",stroke-dasharray:6 4" if edge.rating in ("poor", "harmful") and not edge.critical else ""
            width = "4px" if edge.critical else "2px" if edge.rating == "best" else "1px"
            styles.append(f"  linkStyle {number} stroke:{colour},color:{colour},stroke-width:{width}{dash}")
    lines += styles
    definitions = {
        "ending_good": f"fill:{ENDING_COLOURS['good']}", "ending_mixed": f"fill:{ENDING_COLOURS['mixed']}",
        "ending_poor": f"fill:{ENDING_COLOURS['poor']}", "question": "fill:#e3f2fd", "page": "stroke-dasharray:4 2",
        "event": "fill:#fff9c4", "resume": "fill:#f5f5f5", "start": "stroke-width:4px",
        "unreached": f"fill:#f5f5f5,stroke:{UNREACHED},color:{UNREACHED},stroke-dasharray:4 4",
    }
    for css, members in classes.items():
        if css in definitions:
            lines.append(f"  classDef {css} {definitions[css]}")
            lines.append(f"  class {','.join(members)} {css}")
    return "\n".join(lines) + "\n"


def _yaml_title(title: str) -> str:
    import json

    return json.dumps(" ".join(title.split()), ensure_ascii=False)


# --- drawing through Graphviz --------------------------------------------------------------------


class GraphvizMissing(Exception):
    pass


def render(dot_text: str, fmt: str, out_path: str) -> None:
    """Draw DOT text into an image file with Graphviz; raises GraphvizMissing when `dot` is not installed."""
    program = shutil.which("dot")
    if program is None:
        raise GraphvizMissing(INSTALL_GRAPHVIZ)
    done = subprocess.run([program, f"-T{fmt}", "-o", out_path], input=dot_text.encode("utf-8"),
                          capture_output=True, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(done.stderr.decode("utf-8", "replace").strip() or f"dot exited with {done.returncode}")
