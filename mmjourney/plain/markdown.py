"""Story Markdown as plain lines to be read or listened to: no '**', no '#', lists as lines.

A screen reader speaks '**calcium**' as "star star calcium star star", so the plain player
renders the Markdown itself, from the tokens of markdown-it (the parser rich already uses for
the full-screen player, with the same extensions), instead of printing it as written.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token

WIDTH = 78
# The syntax the full-screen player understands (rich.markdown enables the same two extensions).
_PARSER = MarkdownIt("commonmark").enable(["strikethrough", "table"])


def inline_text(text: str) -> str:
    """One line of Markdown (a choice label, an option) as words, on one line."""
    tokens = _PARSER.parseInline(text)
    return " ".join(_inline(tokens[0].children or []).split()) if tokens else ""


def markdown_lines(text: str, indent: str = "", width: int = WIDTH) -> list[str]:
    """Markdown as wrapped plain lines, with an empty line after each paragraph, list or heading."""
    return _Renderer(indent, width).render(_PARSER.parse(text))


def _inline(children: list[Token]) -> str:
    parts: list[str] = []
    links: list[tuple[str, int]] = []  # the open links: address, and where their words start in parts
    for child in children:
        kind = child.type
        if kind in ("text", "code_inline", "html_inline"):
            parts.append(child.content)
        elif kind == "softbreak":
            parts.append(" ")
        elif kind == "hardbreak":
            parts.append("\n")
        elif kind == "image":
            parts.append(child.content or "image")
        elif kind == "link_open":
            links.append((str(child.attrs.get("href", "")), len(parts)))
        elif kind == "link_close" and links:
            href, start = links.pop()
            if href and href != "".join(parts[start:]).strip():
                parts.append(f" ({href})")  # the address is read once, after the words that name it
        # emphasis, strong and strikethrough marks add no words
    return "".join(parts)


@dataclass
class _Item:
    marker: str  # "- " or "3. ", used by the item's first block only
    used: bool = False


class _Renderer:
    def __init__(self, indent: str, width: int) -> None:
        self.indent = indent
        self.width = width
        self.lines: list[str] = []
        self.items: list[_Item] = []  # the list items we are inside, outermost first
        self.lists: list[int] = []  # for each open list: the next number (0 for bullets)
        self.quotes = 0
        self.row: list[str] | None = None  # the cells of the table row being read

    def render(self, tokens: list[Token]) -> list[str]:
        for token in tokens:
            self.token(token)
        while self.lines and not self.lines[-1]:
            self.lines.pop()
        return self.lines

    def token(self, token: Token) -> None:
        kind = token.type
        if kind == "bullet_list_open":
            self.lists.append(0)
        elif kind == "ordered_list_open":
            self.lists.append(int(token.attrs.get("start", 1) or 1))
        elif kind in ("bullet_list_close", "ordered_list_close"):
            self.lists.pop()
            if not self.lists:
                self.blank()
        elif kind == "list_item_open":
            number = self.lists[-1]
            if number:
                self.lists[-1] += 1
            self.items.append(_Item(f"{number}. " if number else "- "))
        elif kind == "list_item_close":
            self.items.pop()
        elif kind == "blockquote_open":
            self.quotes += 1
        elif kind == "blockquote_close":
            self.quotes -= 1
        elif kind == "tr_open":
            self.row = []
        elif kind == "tr_close":
            self.block("; ".join(cell for cell in self.row or [] if cell))
            self.row = None
        elif kind == "table_close":
            self.blank()
        elif kind == "inline":
            text = _inline(token.children or [])
            if self.row is not None:
                self.row.append(" ".join(text.split()))
            else:
                self.block(text)
        elif kind in ("fence", "code_block"):
            for line in token.content.rstrip("\n").split("\n"):
                self.lines.append(self.prefix()[0] + line)
            self.blank()
        elif kind in ("paragraph_close", "heading_close") and not self.items:
            self.blank()

    def prefix(self) -> tuple[str, str]:
        """The first line's and the following lines' indent for a block here."""
        base = self.indent + "  " * self.quotes + "  " * max(0, len(self.items) - 1)
        if not self.items:
            return base, base
        item = self.items[-1]
        hang = base + " " * len(item.marker)
        if item.used:
            return hang, hang
        item.used = True
        return base + item.marker, hang

    def block(self, text: str) -> None:
        first, rest = self.prefix()
        for number, line in enumerate(text.split("\n")):
            words = " ".join(line.split())
            if not words:
                continue
            self.lines.extend(textwrap.wrap(words, self.width, initial_indent=first if number == 0 else rest,
                                            subsequent_indent=rest, break_long_words=False,
                                            break_on_hyphens=False))

    def blank(self) -> None:
        if self.lines and self.lines[-1]:
            self.lines.append("")
