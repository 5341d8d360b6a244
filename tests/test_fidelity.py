"""The files hold the code the texts print, changed only where README's table says.

Each row of README's "Changed lines" table names a file, a line of it, the
printed code (or "—" for an added line) and the code the file has instead,
indented as the printed line. Every other line must be the printed line, as
Sphinx renders it. Which text a file follows, and which block, is in
printed.FILES.
"""
import difflib
import re

import pytest
from printed import FILES, REPO, where_printed, with_the_texts_edit
from tables import TUT10, as_listed, changed_lines, section, tut10_pieces


def test_readme_lists_changes_only_in_files_that_print_code():
    assert set(changed_lines()) <= set(FILES)


@pytest.mark.parametrize("path", sorted(FILES))
def test_file_is_the_printed_code_but_for_the_listed_changes(path):
    """Or, for today's chapter 12's tut12.py, with the change its text asks for."""
    expected = as_listed(path)
    actual = (REPO / path).read_text(encoding="utf-8")
    assert actual in (expected, with_the_texts_edit(path)), "".join(difflib.unified_diff(
        expected.splitlines(True), actual.splitlines(True),
        f"{where_printed(path)}, as printed with the listed changes", path))


@pytest.mark.parametrize("path, line, code", [
    ("tut05.py", 30, "conf = {"),  # "The lines 30-34 show you how to enable the session"
    ("tut05.py", 32, "'tools.sessions.on': True"),
    ("tut05.py", 34, "}"),
    ("tut07.py", 27, "'request.dispatch': cherrypy.dispatch.MethodDispatcher(),"),
    ("tut09.py", 76, "cherrypy.engine.subscribe('start', setup_database)"),
    ("tut09.py", 77, "cherrypy.engine.subscribe('stop', cleanup_database)"),
])
def test_the_lines_the_text_cites_are_where_it_says(path, line, code):
    assert (REPO / path).read_text(encoding="utf-8").splitlines()[line - 1].strip() == code


@pytest.mark.parametrize("first, last, begins, ends", tut10_pieces(),
                         ids=[f"tut10.py:{first}-{last}" for first, last, _, _ in tut10_pieces()])
def test_the_tut10_lines_the_readme_cites_are_where_it_says(first, last, begins, ends):
    lines = [line.strip() for line in
             (REPO / "tut10.py").read_text(encoding="utf-8").splitlines()]
    assert lines[first - 1].startswith(begins)
    if ends is None:
        assert last == first
    else:
        assert last > first and lines[last - 1].startswith(ends)


def test_the_readme_cites_tut10_lines_in_its_table_only():
    assert tut10_pieces()
    prose = [line for line in section(*TUT10) if not line.startswith("|")]
    assert not [line for line in prose if re.search(r"\blines? \d", line)]
