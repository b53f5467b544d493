"""The report's blocks as one self-contained HTML page.

Self-contained means it opens from an e-mail, a CI artifact or a laptop without the run
directory: the CSS is inline and every chart is embedded as a `data:image/png;base64` URI. No
script, font or stylesheet is fetched. The inline Markdown subset of doc.py (`code`, **bold**,
*emphasis*, [text](url)) is translated after escaping, so nothing in the data can inject markup.

The page's content is CONTENT_WIDTH_PX wide at most; charts.py draws every chart exactly that
wide, so a chart is shown at its own size and its text at the size it was drawn. Headings carry
ids (doc.anchors) and a table of contents links to the level-2 sections.
"""

import base64
import html
import os
import re

from . import doc
from .doc import Bullets, Heading, Image, Para, Table

CONTENT_WIDTH_PX = 1200  # the body's max-width: charts are drawn to it

CSS = """
body { font: 14px/1.45 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #1f2328;
       max-width: %dpx; margin: 2em auto; padding: 0 1em; }
h1, h2, h3 { line-height: 1.25; } h2 { border-bottom: 1px solid #d0d7de; padding-bottom: .3em; }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; background: #f6f8fa;
       padding: .1em .3em; border-radius: 4px; }
.table { overflow-x: auto; margin: 1em 0; }
table { border-collapse: collapse; font-size: 13px; }
th, td { border: 1px solid #d0d7de; padding: 4px 8px; white-space: nowrap; }
th { background: #f6f8fa; } tr:nth-child(even) td { background: #fbfcfd; }
td.r, th.r { text-align: right; font-variant-numeric: tabular-nums; }
p.note { font-size: 12px; color: #57606a; margin: .3em 0; }
figure { margin: 1em 0; }
figure img { max-width: 100%%; height: auto; box-sizing: border-box; border: 1px solid #d0d7de; }
figcaption { font-size: 13px; color: #57606a; max-width: 60em; }
figcaption code { white-space: nowrap; }
nav.toc { background: #f6f8fa; border: 1px solid #d0d7de; border-radius: 6px;
          padding: .5em 1.2em; margin: 1em 0; display: inline-block; }
nav.toc p { margin: .2em 0; font-weight: 600; } nav.toc ul { margin: .2em 0; padding-left: 1.2em; }
""" % CONTENT_WIDTH_PX

# Code spans are cut out first (their text stays literal); these apply to the rest.
_INLINE = [
    (re.compile(r"\*\*([^*]+)\*\*"), r"<strong>\1</strong>"),
    (re.compile(r"(?<![\w*])\*([^*]+)\*(?![\w*])"), r"<em>\1</em>"),
    (re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+)\)"), r'<a href="\2">\1</a>'),
]


def inline(text):
    """Escape, then turn the Markdown subset into tags (code spans first: they stay literal)."""
    out = []
    for i, part in enumerate(re.split(r"(`[^`]+`)", str(text))):
        if i % 2:
            out.append("<code>%s</code>" % html.escape(part[1:-1]))
            continue
        part = html.escape(part, quote=False)
        for pattern, repl in _INLINE:
            part = pattern.sub(repl, part)
        out.append(part)
    return "".join(out)


def _table(table):
    align = table.alignment()
    head = "".join('<th class="%s">%s</th>' % (a, inline(h)) for h, a in zip(table.headers, align))
    body = "\n".join("<tr>%s</tr>" % "".join('<td class="%s">%s</td>' % (a, inline(c))
                                             for c, a in zip(row, align)) for row in table.rows)
    notes = "".join('<p class="note">%s</p>' % inline(n) for n in table.notes)
    return ('<div class="table"><table><thead><tr>%s</tr></thead>\n<tbody>\n%s\n</tbody></table>'
            "</div>%s" % (head, body, notes))


def _image(block, run_dir):
    path = os.path.join(run_dir, block.filename)
    try:
        with open(path, "rb") as f:
            data = base64.b64encode(f.read()).decode("ascii")
    except OSError as e:
        return "<p>(chart %s could not be read: %s)</p>" % (html.escape(block.filename),
                                                            html.escape(str(e)))
    caption = "<figcaption>%s</figcaption>" % inline(block.caption) if block.caption else ""
    return '<figure><img alt="%s" src="data:image/png;base64,%s">%s</figure>' % (
        html.escape(block.alt), data, caption)


def _contents(entries):
    items = "".join('<li><a href="#%s">%s</a></li>' % (html.escape(anchor), inline(text))
                    for text, anchor in entries)
    return '<nav class="toc"><p>%s</p><ul>%s</ul></nav>' % (doc.CONTENTS_TITLE, items)


def to_html(blocks, title, run_dir):
    """The page: title, inline CSS, the contents, the blocks; images read from run_dir and
    embedded."""
    body = []
    ids = doc.anchors(blocks)
    first_section, entries = doc.contents(blocks)
    for index, block in enumerate(blocks):
        if index == first_section:
            body.append(_contents(entries))
        if isinstance(block, Heading):
            body.append('<h%d id="%s">%s</h%d>' % (block.level, html.escape(ids[index]),
                                                   inline(block.text), block.level))
        elif isinstance(block, Para):
            body.append("<p>%s</p>" % inline(block.text))
        elif isinstance(block, Bullets):
            body.append("<ul>%s</ul>" % "".join("<li>%s</li>" % inline(i) for i in block.items))
        elif isinstance(block, Table):
            body.append(_table(block))
        elif isinstance(block, Image):
            body.append(_image(block, run_dir))
        else:
            raise TypeError("unknown block %r" % (block,))
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<title>%s</title><style>%s</style></head>\n<body>\n%s\n</body></html>\n"
            % (html.escape(title), CSS, "\n".join(body)))
