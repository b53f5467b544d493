#!/usr/bin/python3
"""The repository stands on its own: no file refers to a document outside it (the founding notes
in ../shared/ that a user of the repository does not have), and every relative link in the
Markdown documents points at a file that exists.

    /usr/bin/python3 tests/repository/references_test.py [REPO]
"""

import os
import re
import sys
import unittest

REPO = os.path.abspath(sys.argv.pop(1) if len(sys.argv) > 1 and not sys.argv[1].startswith("-")
                       else os.path.join(os.path.dirname(__file__), "..", ".."))
SKIP_DIRS = {".git", "build", "__pycache__"}
TEXT_SUFFIXES = (".cc", ".h", ".def", ".md", ".py", ".txt", ".json", ".sh", ".html", "")
OUTSIDE = re.compile(r"\.\./shared\b|\bshared/[A-Z]+\.md\b")
MD_LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


def files(suffixes):
    for root, dirs, names in os.walk(REPO):
        dirs[:] = [d for d in dirs if d not in SKIP_DIRS and not d.startswith("build")]
        for name in names:
            if os.path.splitext(name)[1] in suffixes:
                yield os.path.join(root, name)


class ReferencesTest(unittest.TestCase):
    def test_nothing_points_outside_the_repository(self):
        found = []
        for path in files(TEXT_SUFFIXES):
            try:
                with open(path, encoding="utf-8") as f:
                    for number, line in enumerate(f, 1):
                        if OUTSIDE.search(line) and path != os.path.abspath(__file__):
                            found.append("%s:%d: %s" % (os.path.relpath(path, REPO), number,
                                                        line.strip()[:120]))
            except (UnicodeDecodeError, OSError):
                continue  # binary files (charts) say nothing
        self.assertEqual(found, [], "references to documents outside the repository")

    def test_relative_markdown_links_resolve(self):
        broken = []
        for path in files((".md",)):
            if "/results/" in path or "/golden/" in path:
                continue  # run reports (committed or golden) link to charts made beside them
            with open(path, encoding="utf-8") as f:
                text = f.read()
            for target in MD_LINK.findall(text):
                if re.match(r"[a-z]+:", target):
                    continue  # http:, https:, mailto:
                resolved = os.path.normpath(os.path.join(os.path.dirname(path), target))
                if not os.path.exists(resolved):
                    broken.append("%s -> %s" % (os.path.relpath(path, REPO), target))
        self.assertEqual(broken, [], "relative links to files that do not exist")


if __name__ == "__main__":
    unittest.main()
