"""Which tests a run keeps: `--chapter N`, one chapter's; `--from=DIR`, the
behaviour tests, on the chapter files a reader typed in DIR.

A chapter is named by what a reader runs: tut01 ... tut10 (the July 2014
text's chapters 1-10, today's 1-9 and 11), react (today's chapter 10: tut09.py
serving 2018-ch10-react/) and tut12 (today's chapter 12). A test id names its
chapters: its module (test_tut05.py, test_2018_ch10_*.py for react), or its
parameters (tut05, or a file the text prints: tut05.py, index.html).
"""
import re
from pathlib import Path

import pytest

TODAY = {**{n: f"tut{n:02d}" for n in range(1, 10)}, 10: "react", 11: "tut10", 12: "tut12"}
NAMED = [  # (pattern in a test id, the chapters it names; None: the tutNN matched)
    (re.compile(r"tut(\d\d)"), None),
    (re.compile(r"react|2018_ch10"), ("react",)),
    # the top-level files chapters 6 and 8 print (not today's chapter 10's copies)
    (re.compile(r"(?<![\w/-])index\.html"), ("tut08",)),
    (re.compile(r"(?<![\w/-])public/css/style\.css"), ("tut06", "tut08")),
]
# What --from's folder must hold for a chapter's tests to run, laid out as here.
FILES = {**{f"tut{n:02d}": [f"tut{n:02d}.py"] for n in range(1, 11)},
         "react": ["tut09.py", "2018-ch10-react/index.html"],
         "tut12": ["2018-ch12-pytest/tut12.py", "2018-ch12-pytest/test_tut12.py"]}
# They compare this repository's files with the texts: not with --from; and the
# errata check CherryPy's text, not a chapter a reader runs: not with --chapter either.
FIDELITY_MODULES = {"test_fidelity.py", "test_2018_map.py", "test_errata.py"}


def chapters_in(test_id):
    """The chapters a test id names."""
    return {name for pattern, chapters in NAMED for match in pattern.finditer(test_id)
            for name in (chapters or [match.group(0)])}


def chapter_named(option):
    """The chapter `--chapter OPTION` means: today's number (5, 11), or the file (tut10)."""
    if option.isdigit() and int(option) in TODAY:
        return TODAY[int(option)]
    if re.fullmatch(r"tut(0[1-9]|1[02])", option.removesuffix(".py")):
        return option.removesuffix(".py")
    raise pytest.UsageError(
        f"--chapter {option}: give a chapter's number in today's text (1 to 12, as CherryPy's "
        "documentation numbers it), or the file you run, without .py (tut01 to tut10, "
        "numbered as the July 2014 text; tut12)")


def found_in(option):
    """The chapters whose files --from's folder holds; a usage error if none."""
    folder = Path(option).expanduser()
    if not folder.is_dir():
        raise pytest.UsageError(f"--from {option}: there is no such folder")
    found = [name for name, files in FILES.items() if all((folder / f).is_file() for f in files)]
    if not found:
        raise pytest.UsageError(f"--from {option}: it holds none of the chapter files "
                                "(tut01.py ... tut10.py, laid out as in this repository)")
    return found


def chosen(chapter_option, from_option):
    """(the chapter --chapter names or None, the chapters --from's folder holds or None)."""
    chapter = chapter_option and chapter_named(chapter_option)
    found = from_option and found_in(from_option)
    if chapter and found and chapter not in found:
        raise pytest.UsageError(f"--from {from_option}: it holds no {' and no '.join(FILES[chapter])}")
    return chapter, found or None


def selected(item, chapter=None, found=None):
    """Whether --chapter and --from keep the test `item`."""
    named, module = chapters_in(item.nodeid), item.path.name
    return ((not chapter or chapter in named and module != "test_errata.py") and (
        found is None or named and named <= set(found) and module not in FIDELITY_MODULES))


def chapters_used(item):
    """The chapters whose shared server a test uses: as a fixture, or a `chapter` parameter."""
    chapter = getattr(item, "callspec", None) and item.callspec.params.get("chapter")
    return [name for name in FILES if name in item.fixturenames or chapter == name]


def chapters_named_in(module, items):
    """The chapters the selected tests of `module` name in a `chapter` or `name` parameter."""
    params = [item.callspec.params for item in items if item.module is module and hasattr(item, "callspec")]
    return [name for name in dict.fromkeys(p.get("chapter", p.get("name")) for p in params) if name]
