"""A tiny document model, so the report's content is written once and rendered twice.

The sections build a list of blocks (Heading, Para, Bullets, Table, Image); `to_markdown` writes
them for report.md (GitHub-flavoured: it must read well as a CI job summary), html.py writes the
same blocks as a self-contained page. Inline text uses a small Markdown subset both renderers
understand: `code`, **bold**, *emphasis* and [text](url).

Both renderers open with a table of contents: a list of links to the level-2 sections, put
before the first of them. Every heading's anchor is its slug as GitHub makes it (lower case,
punctuation dropped, spaces to hyphens, `-1`, `-2` for repeats), so the links work in report.md
on GitHub and the HTML page gives its headings the same ids: stable as long as the titles are.
"""

import re
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


CONTENTS_TITLE = "Contents"


def plain(text):
    """Inline Markdown as the reader sees it: `code`, **bold**, *emphasis*, [text](url) -> text."""
    text = re.sub(r"\[([^\]]+)\]\([^)\s]+\)", r"\1", str(text))
    return re.sub(r"[`*]", "", text)


def slug(text):
    """GitHub's anchor for a heading: `I/O beside CPU-bound threads` ->
    `io-beside-cpu-bound-threads`."""
    text = plain(text).strip().lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(blocks):
    """{index of each Heading in blocks: its anchor}, repeats numbered as GitHub numbers them."""
    seen, out = {}, {}
    for i, block in enumerate(blocks):
        if isinstance(block, Heading):
            base = slug(block.text)
            anchor = base
            while anchor in seen:
                seen[base] += 1
                anchor = "%s-%d" % (base, seen[base])
            seen.setdefault(anchor, 0)
            out[i] = anchor
    return out


def contents(blocks):
    """(index of the first level-2 heading, [(title, anchor)] of every level-2 heading)."""
    ids = anchors(blocks)
    entries = [(i, b.text, ids[i]) for i, b in enumerate(blocks)
               if isinstance(b, Heading) and b.level == 2]
    if not entries:
        return None, []
    return entries[0][0], [(text, anchor) for _, text, anchor in entries]


def to_markdown(blocks):
    """The blocks as GitHub-flavoured Markdown, blocks separated by blank lines; the contents
    (links to the `##` sections) before the first `##`."""
    out = []
    first_section, entries = contents(blocks)
    for index, block in enumerate(blocks):
        if index == first_section:
            out.append("**%s**" % CONTENTS_TITLE)
            out.append("\n".join("- [%s](#%s)" % (plain(text), anchor)
                                 for text, anchor in entries))
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
