"""A tiny document model, so the report's content is written once and rendered twice.

The sections build a list of blocks (Heading, Para, Bullets, Table, Image); `to_markdown` writes
them for report.md (GitHub-flavoured: it must read well as a CI job summary), html.py writes the
same blocks as a self-contained page. Inline text uses a small Markdown subset both renderers
understand: `code`, **bold**, *emphasis* and [text](url).
"""

from dataclasses import dataclass, field
from typing import List, Optional


@dataclass
class Heading:
    level: int
    text: str


@dataclass
class Para:
    text: str


@dataclass
class Bullets:
    items: List[str]


@dataclass
class Table:
    headers: List[str]
    rows: List[List[str]]
    # "l" or "r" per column; numbers read best right-aligned. Default: first left, the rest right.
    align: Optional[List[str]] = None
    notes: List[str] = field(default_factory=list)  # footnotes printed under the table

    def alignment(self):
        if self.align:
            return self.align
        return ["l"] + ["r"] * (len(self.headers) - 1)


@dataclass
class Image:
    filename: str  # relative to the report (the PNG sits beside report.md)
    alt: str
    caption: str = ""


def _cell(text):
    # A pipe would end the cell and a newline the row.
    return str(text).replace("|", "\\|").replace("\n", " ")


def _table_markdown(table):
    lines = ["| " + " | ".join(_cell(h) for h in table.headers) + " |"]
    lines.append("| " + " | ".join("---:" if a == "r" else "---" for a in table.alignment()) + " |")
    for row in table.rows:
        lines.append("| " + " | ".join(_cell(c) for c in row) + " |")
    text = "\n".join(lines)
    for note in table.notes:
        text += "\n\n" + note
    return text


def to_markdown(blocks):
    """The blocks as GitHub-flavoured Markdown, blocks separated by blank lines."""
    out = []
    for block in blocks:
        if isinstance(block, Heading):
            out.append("#" * block.level + " " + block.text)
        elif isinstance(block, Para):
            out.append(block.text)
        elif isinstance(block, Bullets):
            out.append("\n".join("- " + item for item in block.items))
        elif isinstance(block, Table):
            out.append(_table_markdown(block))
        elif isinstance(block, Image):
            text = "![%s](%s)" % (block.alt, block.filename)
            if block.caption:
                text += "\n\n" + block.caption
            out.append(text)
        else:
            raise TypeError("unknown block %r" % (block,))
    return "\n\n".join(out) + "\n"
