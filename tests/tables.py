"""Tables that tests read from README.md and docs/*.md: each found under its heading."""
import functools
import re
from pathlib import Path

from chapters import chapters_in
from printed import REPO, printed_for, where_printed

CODE = re.compile(r"`([^`]+)`")
NONE = "—"  # a cell with nothing in it: no such line
CHANGES = "docs/changes.md"
TUT10 = ("docs/chapter-10.md", "# 2014's chapter 10, today's 11: the tills, the discount and the crew")


@functools.cache  # each page is read once a run
def section(page, heading):
    """The lines under the `heading` line of `page`, up to the next heading of its level or higher."""
    lines = (REPO / page).read_text(encoding="utf-8").splitlines()
    if heading not in lines:
        raise LookupError(f"{page} has no heading {heading!r}: the tests read the table "
                          "under it (renamed? rename it in tests/ too)")
    start, level = lines.index(heading), heading.split(" ")[0]
    end = next((n for n in range(start + 1, len(lines))
                if lines[n].startswith("#") and lines[n].split(" ")[0] <= level), len(lines))
    return tuple(lines[start + 1:end])


def table(page, heading):
    """The body rows of the first table under the `heading` line, as tuples of cells."""
    rows = []
    for line in section(page, heading):
        if line.startswith("#"):
            break
        if line.startswith("| "):
            rows.append(tuple(cell.strip() for cell in line.strip().strip("|").split(" | ")))
        elif rows:
            break
    return tuple(rows[2:])  # past the header row and the --- row


def code(cell):
    """The first `code` in a cell, or None for an empty cell."""
    return None if cell == NONE else CODE.search(cell).group(1)


def line_number(cell):
    return None if cell == NONE else int(cell)


def changed_lines():
    """{file: {line: (printed or None, now)}} from the "Changed lines" table."""
    changes = {}
    for _, path, line, was, now, _ in table(CHANGES, "## Changed lines"):
        changes.setdefault(code(path), {})[int(line)] = (code(was), code(now))
    return changes


def as_listed(path):
    """The code the text prints for `path`, with the listed changes made: each
    changed line keeps the printed line's indentation (an added line, the next
    line's), so only what the table says differs."""
    lines = printed_for(path).splitlines()
    for number, (was, now) in sorted(changed_lines().get(path, {}).items()):
        if was is None:
            lines.insert(number - 1, None)  # an added line
    for number, (was, now) in changed_lines().get(path, {}).items():
        printed_line = lines[number - 1]
        if printed_line is None:
            printed_line = lines[number]
        else:
            assert printed_line.strip() == was, (
                f"{CHANGES}, Changed lines: {path}:{number} is not printed as listed "
                f"(the text prints the block at {where_printed(path)})")
        indent = printed_line[:len(printed_line) - len(printed_line.lstrip())]
        lines[number - 1] = indent + now
    return "\n".join(lines) + "\n"


def tut10_pieces():
    """(first line, last line, begins with, ends with or None) of each piece of
    tut10.py, from the table of docs/chapter-10.md."""
    pieces = []
    for _, lines, begins, ends in table(*TUT10):
        first, _, last = lines.partition("–")
        pieces.append((int(first), int(last or first), code(begins), code(ends)))
    return pieces


# The files of each chapter that hold printed code, for --from's notes.
PRINTED_FILES = {**{f"tut{n:02d}": [f"tut{n:02d}.py"] for n in range(1, 10)},
                 "tut08": ["tut08.py", "index.html"], "tut09": ["tut09.py", "index.html"],
                 "react": ["tut09.py", "2018-ch10-react/index.html"]}


def notes_on_changed_lines(test_id, folder):
    """For a failed test of a chapter typed in `folder` (--from): each line as a text
    prints it, in its files, that this repository changed, and why."""
    rows = [row[1:] for row in table(CHANGES, "## Changed lines")]  # file, line, was, now, why
    rows += [(row[1], row[2], row[3], row[5], row[6])  # where today's text differs: the same
             for row in table(CHANGES, "### Where today's printed code differs from the files here")]
    files = {path for name in chapters_in(test_id) for path in PRINTED_FILES.get(name, [])}
    notes = {}
    for path, _, printed, here, why in rows:
        typed = Path(folder).expanduser() / code(path)
        if code(path) not in files or not typed.is_file():
            continue
        lines = {line.strip() for line in typed.read_text(encoding="utf-8").splitlines()}
        if code(here) not in lines and (code(printed) is None or code(printed) in lines):
            what = (f"has {printed}, as printed, where this repository has {here}"
                    if code(printed) else f"lacks {here}, which this repository adds")
            notes.setdefault((code(path), code(printed) or code(here)),
                             f"Your {code(path)} {what}: {why} ({CHANGES})")
    return list(notes.values())
