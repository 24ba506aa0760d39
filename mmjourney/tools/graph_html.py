"""`mmjourney graph --out story.html`: the story's map as one self-contained web page.

No Graphviz, no network: the layout is computed here (a small layered layout: cycles broken
by a depth-first search, layers by longest path, long arrows split at every layer they cross,
orders improved by barycentre sweeps, positions by neighbour averaging), and the page is inline
SVG with a little inline CSS and JavaScript, allowed by a Content-Security-Policy that admits
only that script (by its hash) and nothing from anywhere else.

Every choice shows its rating as a glyph and a word as well as a colour and a dash pattern;
clicking a scene (or Enter on it) shows its text and its choices. Story text only reaches
the page through `html.escape`.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from html import escape

from .graph import ENDING_COLOURS, RATING_COLOURS, UNREACHED, Edge, Graph, Node

RATING_GLYPHS = {"best": "★", "acceptable": "✓", "poor": "✗", "harmful": "✖"}
RATING_DASHES = {"best": "", "acceptable": "", "poor": "7 4", "harmful": "3 3"}
CRITICAL = "⚠"
KIND_FILLS = {"scene": "#ffffff", "question": "#e3f2fd", "page": "#fafafa", "event": "#fff9c4", "resume": "#f5f5f5"}
KIND_WORDS = {"scene": "decision", "question": "question", "page": "page (goes on by itself)", "event": "event",
              "resume": "back to where the event interrupted", "ending": "ending"}
OTHER_EDGE_COLOURS = {"event": "#f9a825", "route": "#616161", "question": "#616161"}

CHAR_WIDTH = 7.0  # an estimate of one character at the node font size; there are no font metrics here
LINE_HEIGHT = 15
NODE_PAD = 10
LAYER_GAP = 90
NODE_GAP = 36
DUMMY_WIDTH = 14
MARGIN = 40
NAME_CLASS = ' class="name"'


@dataclass
class _Box:
    id: str
    width: float
    height: float
    node: Node | None = None  # None for the points where a long arrow crosses a layer
    layer: int = 0
    x: float = 0.0
    y: float = 0.0


@dataclass
class _Route:
    edge: Edge
    chain: list[str] = field(default_factory=list)  # boxes the arrow passes through, source first
    reversed: bool = False  # drawn against the layers (it closes a cycle)
    loop: int = -1  # n-th arrow from a scene back to itself, else -1


@dataclass
class Layout:
    boxes: dict[str, _Box]
    routes: list[_Route]
    width: float
    height: float


def _node_lines(node: Node) -> list[str]:
    lines = node.label.split("\n")
    if node.kind == "ending":
        lines.append(f"{node.ending or ''} ending".strip())
    if node.start:
        lines.append("▶ start")
    return lines


def _box_for(node: Node) -> _Box:
    lines = _node_lines(node)
    width = max(110.0, max(len(line) for line in lines) * CHAR_WIDTH + 2 * NODE_PAD)
    return _Box(node.id, width, len(lines) * LINE_HEIGHT + 2 * NODE_PAD, node)


def _back_edges(order: list[str], successors: dict[str, list[str]], roots: list[str]) -> set[tuple[str, str]]:
    """Edges that close a cycle, found by an iterative depth-first search from the roots first."""
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    back: set[tuple[str, str]] = set()
    for root in roots + order:
        if root in state:
            continue
        state[root] = 1
        stack = [(root, iter(successors[root]))]
        while stack:
            here, pending = stack[-1]
            for there in pending:
                if state.get(there) == 1:
                    back.add((here, there))
                elif there not in state:
                    state[there] = 1
                    stack.append((there, iter(successors[there])))
                    break
            else:
                state[here] = 2
                stack.pop()
    return back


def _crossings(upper: list[str], lower: list[str], links: list[tuple[str, str]]) -> int:
    up = {b: i for i, b in enumerate(upper)}
    low = {b: i for i, b in enumerate(lower)}
    pairs = [(up[a], low[b]) for a, b in links if a in up and b in low]
    return sum(1 for i, (a1, b1) in enumerate(pairs) for a2, b2 in pairs[i + 1:] if (a1 - a2) * (b1 - b2) < 0)


def layout(graph: Graph) -> Layout:
    """Positions for every node and a path of points for every arrow, layers running top to bottom."""
    boxes = {node.id: _box_for(node) for node in graph.nodes}
    order = list(boxes)
    successors: dict[str, list[str]] = {b: [] for b in order}
    for edge in graph.edges:
        if edge.source != edge.target and edge.target in boxes:
            successors[edge.source].append(edge.target)
    start = [node.id for node in graph.nodes if node.start]
    back = _back_edges(order, successors, start)

    # Longest-path layers over the edges with the cycles turned round.
    forward: dict[str, list[str]] = {b: [] for b in order}
    indegree = dict.fromkeys(order, 0)
    for source, targets in successors.items():
        for target in targets:
            a, b = (target, source) if (source, target) in back else (source, target)
            forward[a].append(b)
            indegree[b] += 1
    ready = [b for b in order if indegree[b] == 0]
    topological = []
    while ready:
        here = ready.pop(0)
        topological.append(here)
        for there in forward[here]:
            boxes[there].layer = max(boxes[there].layer, boxes[here].layer + 1)
            indegree[there] -= 1
            if indegree[there] == 0:
                ready.append(there)
    for here in reversed(topological):  # an event sits just above the scene it interrupts, not at the top
        if here not in start and not any(here in forward[b] for b in order) and forward[here]:
            boxes[here].layer = min(boxes[there].layer for there in forward[here]) - 1
    lowest = min((box.layer for box in boxes.values()), default=0)  # -1 for an event on the start scene
    for box in boxes.values():
        box.layer -= lowest

    # Arrows, each split by a small box at every layer it crosses.
    routes: list[_Route] = []
    loops: dict[str, int] = {}
    links: list[tuple[str, str]] = []
    for number, edge in enumerate(graph.edges):
        if edge.target not in boxes:
            continue
        if edge.source == edge.target:
            loops[edge.source] = loops.get(edge.source, -1) + 1
            routes.append(_Route(edge, [edge.source], loop=loops[edge.source]))
            continue
        is_back = (edge.source, edge.target) in back
        a, b = (edge.target, edge.source) if is_back else (edge.source, edge.target)
        chain = [a]
        for layer in range(boxes[a].layer + 1, boxes[b].layer):
            dummy = _Box(f"d{number}_{layer}", DUMMY_WIDTH, 0, layer=layer)
            boxes[dummy.id] = dummy
            chain.append(dummy.id)
        chain.append(b)
        links += list(zip(chain, chain[1:], strict=False))
        routes.append(_Route(edge, chain[::-1] if is_back else chain, reversed=is_back))

    # Orders within layers: barycentre sweeps, keeping the order with the fewest crossings.
    depth = max(box.layer for box in boxes.values()) + 1 if boxes else 0
    layers: list[list[str]] = [[] for _ in range(depth)]
    for box_id, box in boxes.items():
        layers[box.layer].append(box_id)
    above: dict[str, list[str]] = {b: [] for b in boxes}
    below: dict[str, list[str]] = {b: [] for b in boxes}
    for a, b in links:
        below[a].append(b)
        above[b].append(a)

    def total() -> int:
        return sum(_crossings(layers[i], layers[i + 1], links) for i in range(depth - 1))

    best, best_count = [list(layer) for layer in layers], total()
    for sweep in range(8):
        downward = sweep % 2 == 0
        for i in range(1, depth) if downward else range(depth - 2, -1, -1):
            reference = {b: n for n, b in enumerate(layers[i - 1] if downward else layers[i + 1])}
            neighbours = above if downward else below

            def key(box_id: str, position: int, _ref=reference, _near=neighbours) -> float:
                near = [_ref[n] for n in _near[box_id] if n in _ref]
                return sum(near) / len(near) if near else position

            layers[i] = [b for _, b in sorted(((key(b, p), b) for p, b in enumerate(layers[i])),
                                              key=lambda pair: pair[0])]
        count = total()
        if count < best_count:
            best, best_count = [list(layer) for layer in layers], count
    layers = best

    # Positions: packed, then each box pulled toward its neighbours without overlapping.
    def gap(left: str, right: str) -> float:
        space = NODE_GAP if boxes[left].node and boxes[right].node else DUMMY_WIDTH
        return boxes[left].width / 2 + space + boxes[right].width / 2

    for layer in layers:
        x = 0.0
        for n, box_id in enumerate(layer):
            if n:
                x += gap(layer[n - 1], box_id)
            boxes[box_id].x = x
    for sweep in range(10):
        for layer in layers if sweep % 2 == 0 else layers[::-1]:
            wanted = []
            for box_id in layer:
                near = [boxes[n].x for n in above[box_id] + below[box_id]]
                wanted.append(sum(near) / len(near) if near else boxes[box_id].x)
            pushed_right = list(wanted)
            for n in range(1, len(layer)):
                pushed_right[n] = max(pushed_right[n], pushed_right[n - 1] + gap(layer[n - 1], layer[n]))
            pushed_left = list(wanted)
            for n in range(len(layer) - 2, -1, -1):
                pushed_left[n] = min(pushed_left[n], pushed_left[n + 1] - gap(layer[n], layer[n + 1]))
            for n, box_id in enumerate(layer):
                boxes[box_id].x = (pushed_right[n] + pushed_left[n]) / 2
    y = MARGIN
    for layer in layers:
        tallest = max((boxes[b].height for b in layer), default=0)
        for box_id in layer:
            boxes[box_id].y = y + tallest / 2
        y += tallest + LAYER_GAP
    left = min((b.x - b.width / 2 for b in boxes.values()), default=0)
    right = max((b.x + b.width / 2 for b in boxes.values()), default=0)
    for box in boxes.values():
        box.x += MARGIN - left
    return Layout(boxes, routes, right - left + 2 * MARGIN + 80 * bool(loops), y - LAYER_GAP + MARGIN)


# --- drawing --------------------------------------------------------------------------------------


def _edge_colour(edge: Edge) -> str:
    if not edge.taken:
        return UNREACHED
    if edge.kind == "choice":
        return RATING_COLOURS.get(edge.rating or "", "#000000")
    return OTHER_EDGE_COLOURS.get(edge.kind, "#616161")


def _edge_tag(edge: Edge) -> str:
    """What an arrow says besides its colour: the rating as a glyph and a word."""
    if edge.kind != "choice":
        return ""
    tag = f"{RATING_GLYPHS.get(edge.rating or '', '')} {edge.rating}"
    if edge.critical:
        tag = f"{CRITICAL} critical, {edge.rating}"
    return tag + (" (never available)" if not edge.taken else "")


def _flat(text: str) -> str:
    return " ".join(text.split())


def _edge_text(edge: Edge) -> str:
    """An arrow's words on one line; a choice's whole label, without the rating its tag already gives."""
    if edge.kind != "choice":
        return _flat(edge.label)
    chance = [line for line in edge.label.split("\n") if line.startswith("chance ")]
    return _flat(" ".join([edge.text, *chance]))


def _points(route: _Route, boxes: dict[str, _Box], ports: dict[tuple[int, int], float]) -> list[tuple[float, float]]:
    points = []
    last = len(route.chain) - 1
    for n, box_id in enumerate(route.chain):
        box = boxes[box_id]
        if box.node is None:
            points.append((box.x, box.y))
            continue
        at_bottom = (n == 0) != route.reversed
        x = box.x + ports.get((id(route), 0 if n == 0 else last), 0.0)
        points.append((x, box.y + box.height / 2 if at_bottom else box.y - box.height / 2))
    return points


def _ports(layout_: Layout) -> dict[tuple[int, int], float]:
    """Where each arrow meets its box: the arrows on one side spread along it, in the order of where they go."""
    sides: dict[tuple[str, bool], list[tuple[float, int, int]]] = {}
    for route in layout_.routes:
        if route.loop >= 0:
            continue
        for end, neighbour in ((0, 1), (len(route.chain) - 1, len(route.chain) - 2)):
            box_id = route.chain[end]
            at_bottom = (end == 0) != route.reversed
            sides.setdefault((box_id, at_bottom), []).append(
                (layout_.boxes[route.chain[neighbour]].x, id(route), end))
    ports = {}
    for (box_id, _), ends in sides.items():
        ends.sort()
        usable = layout_.boxes[box_id].width * 0.7
        for n, (_, route_id, end) in enumerate(ends):
            ports[(route_id, end)] = (n + 0.5) * usable / len(ends) - usable / 2
    return ports


def _path(points: list[tuple[float, float]]) -> str:
    (x, y), parts = points[0], [f"M{points[0][0]:.1f},{points[0][1]:.1f}"]
    for nx, ny in points[1:]:
        middle = (y + ny) / 2
        parts.append(f"C{x:.1f},{middle:.1f} {nx:.1f},{middle:.1f} {nx:.1f},{ny:.1f}")
        x, y = nx, ny
    return " ".join(parts)


def _marker_id(colour: str) -> str:
    return "arrow" + colour.lstrip("#")


def _svg_edges(layout_: Layout) -> tuple[list[str], list[str]]:
    ports = _ports(layout_)
    paths, labels = [], []
    # Tags of arrows leaving one box side by side alternate between two heights, so they do not overlap.
    leaving: dict[str, list[tuple[float, int]]] = {}
    for route in layout_.routes:
        if route.loop < 0:
            leaving.setdefault(route.chain[0], []).append((ports.get((id(route), 0), 0.0), id(route)))
    stagger = {route_id: n % 2 for ends in leaving.values() for n, (_, route_id) in enumerate(sorted(ends))}
    for route in layout_.routes:
        edge = route.edge
        colour = _edge_colour(edge)
        dash = ("2 4" if not edge.taken else "4 3" if edge.kind == "event" else "" if edge.critical
                else RATING_DASHES.get(edge.rating or "", ""))
        width = 4 if edge.critical and edge.taken else 2 if edge.rating == "best" else 1.4
        if route.loop >= 0:
            box = layout_.boxes[edge.source]
            reach = 34 + 16 * route.loop
            x, y = box.x + box.width / 2, box.y
            d = f"M{x:.1f},{y - 6:.1f} C{x + reach:.1f},{y - 30:.1f} {x + reach:.1f},{y + 30:.1f} {x:.1f},{y + 6:.1f}"
            label_at = (x + reach * 0.75 + 4, y + 4)
        else:
            points = _points(route, layout_.boxes, ports)
            d = _path(points)
            (x0, y0), (x1, y1) = points[0], points[1]
            along = 0.62 if stagger.get(id(route)) else 0.3
            label_at = (x0 + (x1 - x0) * along, y0 + (y1 - y0) * along)
        tag = _edge_tag(edge)
        title = f"{tag}: {_edge_text(edge)}" if tag else _edge_text(edge)
        classes = f"edge {edge.kind}" + (" never" if not edge.taken else "")
        paths.append(
            f'<path class="{classes}" d="{d}" stroke="{colour}" stroke-width="{width}"'
            + (f' stroke-dasharray="{dash}"' if dash else "")
            + f' marker-end="url(#{_marker_id(colour)})" data-source="{escape(edge.source)}"'
            f' data-target="{escape(edge.target)}"><title>{escape(title)}</title></path>')
        if tag:
            text_width = len(tag) * 6.2 + 8
            x, y = label_at
            labels.append(
                f'<g class="tag" transform="translate({x:.1f},{y:.1f})"><title>{escape(title)}</title>'
                f'<rect x="{-text_width / 2:.1f}" y="-8" width="{text_width:.1f}" height="15" rx="3"'
                f' stroke="{colour}"/><text y="3" fill="{colour}">{escape(tag)}</text></g>')
    return paths, labels


def _node_shape(node: Node, box: _Box) -> str:
    w, h = box.width, box.height
    stroke = UNREACHED if not node.reached else "#37474f"
    fill = "#f5f5f5" if not node.reached else (
        ENDING_COLOURS.get(node.ending or "", "#eeeeee") if node.kind == "ending" else KIND_FILLS[node.kind])
    dash = ' stroke-dasharray="5 4"' if not node.reached or node.kind == "page" else ""
    width = 3.5 if node.start else 1.3
    common = f'fill="{fill}" stroke="{stroke}" stroke-width="{width}"{dash}'
    if node.kind == "event":
        return (f'<polygon points="{-w / 2 + 12},{-h / 2} {w / 2 - 12},{-h / 2} {w / 2},0 {w / 2 - 12},{h / 2} '
                f'{-w / 2 + 12},{h / 2} {-w / 2},0" {common}/>')
    if node.kind == "resume":
        return f'<ellipse rx="{w / 2}" ry="{h / 2}" {common}/>'
    radius = 4 if node.kind != "question" else 0
    shape = f'<rect x="{-w / 2}" y="{-h / 2}" width="{w}" height="{h}" rx="{radius}" {common}/>'
    if node.kind == "ending":  # double-edged, like the DOT drawing's doubleoctagon
        shape += (f'<rect x="{-w / 2 + 4}" y="{-h / 2 + 4}" width="{w - 8}" height="{h - 8}" rx="3" fill="none"'
                  f' stroke="{stroke}"{dash}/>')
    return shape


def _svg_nodes(layout_: Layout) -> list[str]:
    drawn = []
    for box in layout_.boxes.values():
        node = box.node
        if node is None:
            continue
        lines = _node_lines(node)
        top = -box.height / 2 + NODE_PAD + LINE_HEIGHT - 4
        text = "".join(
            f'<tspan x="0" y="{top + n * LINE_HEIGHT:.1f}"{NAME_CLASS if n == 0 else ""}>{escape(line)}</tspan>'
            for n, line in enumerate(lines))
        classes = f"node {node.kind}" + ("" if node.reached else " unreached") + (" start" if node.start else "")
        drawn.append(
            f'<g class="{classes}" id="n-{escape(node.id)}" data-node="{escape(node.id)}" tabindex="0" role="button"'
            f' aria-label="{escape(_flat(node.label))}" transform="translate({box.x:.1f},{box.y:.1f})">'
            f'<title>{escape(_flat(node.label))}</title>{_node_shape(node, box)}'
            f'<text fill="{UNREACHED if not node.reached else "#212121"}">{text}</text></g>')
    return drawn


def _details(graph: Graph) -> list[str]:
    """What a click on a scene shows: its text and every arrow out of it, all escaped."""
    names = {node.id: _flat(node.label) for node in graph.nodes}
    panels = []
    for node in graph.nodes:
        kind = KIND_WORDS[node.kind] if node.kind != "ending" else f"{node.ending} ending"
        facts = [kind] + (["start"] if node.start else [])
        if not node.reached:
            facts.append("unreachable: no journey gets here")
        out = [edge for edge in graph.edges if edge.source == node.id]
        items = []
        for edge in out:
            tag = _edge_tag(edge) or edge.kind
            label = _edge_text(edge)
            colour = _edge_colour(edge)
            target = names.get(edge.target, edge.target)
            items.append(f'<li><span class="badge" style="border-color:{colour};color:{colour}">{escape(tag)}</span> '
                         f'{escape(label)} <span class="to">→ {escape(target)}</span></li>')
        panels.append(
            f'<section class="detail" id="d-{escape(node.id)}" hidden><h2>{escape(names[node.id])}</h2>'
            f'<p class="facts">{escape(" · ".join(facts))}</p>'
            + (f'<div class="text">{escape(node.text)}</div>' if node.text else "")
            + (f'<h3>Ways on</h3><ul>{"".join(items)}</ul>' if items else "")
            + "</section>")
    return panels


def _legend() -> str:
    def line(colour: str, dash: str, width: float, word: str) -> str:
        return (f'<li><svg width="44" height="12" aria-hidden="true"><line x1="2" y1="6" x2="42" y2="6" '
                f'stroke="{colour}" stroke-width="{width}"' + (f' stroke-dasharray="{dash}"' if dash else "")
                + f'/></svg> {escape(word)}</li>')

    def swatch(fill: str, stroke: str, dash: bool, word: str) -> str:
        return (f'<li><svg width="28" height="16" aria-hidden="true"><rect x="1" y="1" width="26" height="14" rx="3" '
                f'fill="{fill}" stroke="{stroke}"' + (' stroke-dasharray="4 3"' if dash else "")
                + f'/></svg> {escape(word)}</li>')

    choices = [line(RATING_COLOURS[r], RATING_DASHES[r], 2 if r == "best" else 1.4, f"{RATING_GLYPHS[r]} {r}")
               for r in RATING_COLOURS]
    choices += [line(RATING_COLOURS["harmful"], "", 4, f"{CRITICAL} critical error"),
                line(UNREACHED, "2 4", 1.4, "never available (no journey can take it)"),
                line(OTHER_EDGE_COLOURS["route"], "", 1.4, "goes on by itself / after a question"),
                line(OTHER_EDGE_COLOURS["event"], "4 3", 1.4, "event interrupts")]
    scenes = [swatch(KIND_FILLS["scene"], "#37474f", False, "decision"),
              swatch(KIND_FILLS["question"], "#37474f", False, "question"),
              swatch(KIND_FILLS["page"], "#37474f", True, "page"),
              swatch(KIND_FILLS["event"], "#37474f", False, "event")]
    scenes += [swatch(ENDING_COLOURS[k], "#37474f", False, f"{k} ending") for k in ENDING_COLOURS]
    scenes += [swatch("#f5f5f5", UNREACHED, True, "unreachable"),
               swatch("#ffffff", "#37474f", False, "▶ start (thick)")]
    return (f'<div class="legend"><h2>Choices</h2><ul>{"".join(choices)}</ul>'
            f'<h2>Scenes</h2><ul>{"".join(scenes)}</ul></div>')


CSS = """
body{margin:0;font:14px/1.4 system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:#212121;
display:grid;grid-template-columns:1fr 22rem;grid-template-rows:auto 1fr;height:100vh}
header{grid-column:1/3;padding:.4rem 1rem;border-bottom:1px solid #ccc;display:flex;gap:1rem;align-items:center}
header h1{font-size:1.1rem;margin:0;white-space:nowrap}
.warning{color:#8d5a00;font-size:.85em}
header .space{flex:1}
#map{overflow:auto;cursor:grab;background:#fcfcfc}
#map.dragging{cursor:grabbing}
aside{overflow:auto;border-left:1px solid #ccc;padding:0 1rem}
aside h2{font-size:1rem;margin:.8rem 0 .3rem}
aside ul{list-style:none;padding:0;margin:0}
aside li{margin:.2rem 0}
.legend li svg{vertical-align:middle}
.detail .text{white-space:pre-wrap;background:#f7f7f7;padding:.5rem;border-radius:4px}
.detail .facts{color:#555;margin:.2rem 0}
.detail li{margin:.4rem 0}
.badge{border:1px solid;border-radius:3px;padding:0 .3rem;font-size:.85em;white-space:nowrap}
.to{color:#555}
svg text{font-size:12px;text-anchor:middle}
svg .name{font-weight:bold}
.tag rect{fill:#fff}
.tag text{font-size:10px}
.edge{fill:none}
.node{cursor:pointer}
.node:focus,.node.selected{outline:none}
.node.selected>:first-child{stroke:#6a1b9a;stroke-width:4}
button{font:inherit}
"""

SCRIPT = """
(function () {
  var map = document.getElementById('map'), svg = map.querySelector('svg');
  var width = svg.width.baseVal.value, height = svg.height.baseVal.value, scale = 1;
  function zoom(factor) {
    scale = Math.min(4, Math.max(0.1, scale * factor));
    svg.setAttribute('width', width * scale);
    svg.setAttribute('height', height * scale);
  }
  document.getElementById('zoom-in').onclick = function () { zoom(1.25); };
  document.getElementById('zoom-out').onclick = function () { zoom(0.8); };
  document.getElementById('zoom-fit').onclick = function () {
    zoom(Math.min(map.clientWidth / (width * scale), map.clientHeight / (height * scale)));
  };
  function show(node) {
    var open = document.querySelectorAll('.node.selected, .detail:not([hidden])');
    for (var i = 0; i < open.length; i++) {
      if (open[i].classList.contains('detail')) { open[i].hidden = true; }
      else { open[i].classList.remove('selected'); }
    }
    node.classList.add('selected');
    var panel = document.getElementById('d-' + node.getAttribute('data-node'));
    panel.hidden = false;
    document.getElementById('hint').hidden = true;
    panel.scrollIntoView({block: 'nearest'});
  }
  var nodes = document.querySelectorAll('.node');
  for (var i = 0; i < nodes.length; i++) {
    nodes[i].addEventListener('click', function () { show(this); });
    nodes[i].addEventListener('keydown', function (event) {
      if (event.key === 'Enter' || event.key === ' ') { event.preventDefault(); show(this); }
    });
  }
  var drag = null;
  map.addEventListener('mousedown', function (event) {
    drag = {x: event.clientX, y: event.clientY, left: map.scrollLeft, top: map.scrollTop};
    map.classList.add('dragging');
  });
  window.addEventListener('mousemove', function (event) {
    if (!drag) { return; }
    map.scrollLeft = drag.left - (event.clientX - drag.x);
    map.scrollTop = drag.top - (event.clientY - drag.y);
  });
  window.addEventListener('mouseup', function () { drag = null; map.classList.remove('dragging'); });
})();
"""


def to_html(graph: Graph) -> str:
    """The whole page: map, legend and the scenes' details, with no reference to anything outside it."""
    layout_ = layout(graph)
    paths, labels = _svg_edges(layout_)
    colours = sorted({_edge_colour(route.edge) for route in layout_.routes})
    markers = "".join(
        f'<marker id="{_marker_id(c)}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="9" markerHeight="9"'
        f' markerUnits="userSpaceOnUse" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="{c}"/></marker>'
        for c in colours)
    w, h = max(layout_.width, 200), max(layout_.height, 100)
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{w:.0f}" height="{h:.0f}" viewBox="0 0 {w:.0f} {h:.0f}"'
           f' role="img" aria-label="{escape(graph.title)}: map of the story"><defs>{markers}</defs>'
           f'<g class="edges">{"".join(paths)}</g><g class="nodes">{"".join(_svg_nodes(layout_))}</g>'
           f'<g class="tags">{"".join(labels)}</g></svg>')
    script_hash = base64.b64encode(hashlib.sha256(SCRIPT.encode("utf-8")).digest()).decode("ascii")
    policy = f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{script_hash}'"
    warning = ("" if graph.complete else
               f'<span class="warning">exploration {escape(graph.stopped)}: parts marked unreachable may only be '
               "beyond that budget</span>")
    scenes = sum(1 for node in graph.nodes if node.kind not in ("event", "resume"))
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(graph.title)}: story map</title><style>{CSS}</style></head><body>"
        f"<header><h1>{escape(graph.title)} <small>({scenes} scenes)</small></h1>{warning}"
        '<span class="space"></span>'
        '<button id="zoom-out" title="zoom out">−</button><button id="zoom-fit" title="fit to the window">fit</button>'
        '<button id="zoom-in" title="zoom in">+</button></header>'
        f'<main id="map">{svg}</main>'
        '<aside><p id="hint">Click a scene (or Tab to it and press Enter) to read its text and choices. '
        "Drag to move around the map; hover over an arrow for its choice.</p>"
        f'{"".join(_details(graph))}{_legend()}</aside>'
        f"<script>{SCRIPT}</script></body></html>\n"
    )
