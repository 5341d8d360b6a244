"""Tables of README.md that tests read: each found under its heading."""
import re

from printed import REPO

CODE = re.compile(r"`([^`]+)`")
NONE = "—"  # a cell with nothing in it: no such line


def table(heading):
    """The body rows of the first table under the `heading` line, as lists of cells."""
    lines = (REPO / "README.md").read_text(encoding="utf-8").splitlines()
    start = lines.index(heading)
    rows = []
    for line in lines[start + 1:]:
        if line.startswith("#"):
            break
        if line.startswith("| "):
            rows.append([cell.strip() for cell in line.strip().strip("|").split(" | ")])
        elif rows:
            break
    return rows[2:]  # past the header row and the --- row


def code(cell):
    """The first `code` in a cell, or None for an empty cell."""
    if cell == NONE:
        return None
    return CODE.search(cell).group(1)


def line_number(cell):
    return None if cell == NONE else int(cell)
