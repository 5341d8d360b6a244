"""The files hold the code the texts print, changed only where docs/changes.md says.

Each row of its "Changed lines" table names a file, a line of it, the printed
code (or "—" for an added line) and the code the file has instead, indented
as the printed line. Every other line must be the printed line, as Sphinx
renders it. Which text a file follows, and which block, is in printed.FILES.
A file that differs fails one test here, its own, with one message; the lines
the texts cite are checked in the code as listed, so an edit reds nothing else.
"""
import re

import pytest
from printed import FILES, REPO, where_printed, with_the_texts_edit
from tables import TUT10, as_listed, changed_lines, section, tut10_pieces


def test_the_changed_lines_are_all_in_files_that_print_code():
    assert set(changed_lines()) <= set(FILES)


def first_difference(path, expected, actual):
    """The message for a file that differs from the code it should hold."""
    expected, actual = expected.splitlines(), actual.splitlines()
    number = next(n for n in range(max(len(expected), len(actual)))
                  if expected[n:n + 1] != actual[n:n + 1])
    printed = expected[number] if number < len(expected) else "(nothing: the text ends)"
    here = actual[number] if number < len(actual) else "(nothing: the file ends)"
    return (f"{path} differs from the code {where_printed(path)} prints (with the changed lines "
            f"of docs/changes.md), first at its line {number + 1}:\n"
            f"  printed: {printed!r}\n  {path}: {here!r}\n"
            f"Every difference: python tests/printed.py {path}")


@pytest.mark.parametrize("path", sorted(FILES))
def test_file_is_the_printed_code_but_for_the_listed_changes(path):
    """Or, for today's chapter 12's tut12.py, with the change its text asks for."""
    actual = (REPO / path).read_text(encoding="utf-8")
    if actual not in (as_listed(path), with_the_texts_edit(path)):
        pytest.fail(first_difference(path, as_listed(path), actual), pytrace=False)


@pytest.mark.parametrize("path, line, code", [
    ("tut05.py", 30, "conf = {"),  # "The lines 30-34 show you how to enable the session"
    ("tut05.py", 32, "'tools.sessions.on': True"),
    ("tut05.py", 34, "}"),
    ("tut07.py", 27, "'request.dispatch': cherrypy.dispatch.MethodDispatcher(),"),
    ("tut09.py", 76, "cherrypy.engine.subscribe('start', setup_database)"),
    ("tut09.py", 77, "cherrypy.engine.subscribe('stop', cleanup_database)"),
])
def test_the_lines_the_text_cites_are_where_it_says(path, line, code):
    assert as_listed(path).splitlines()[line - 1].strip() == code


def test_the_tut10_lines_the_docs_cite_are_where_they_say():
    lines = [line.strip() for line in (REPO / "tut10.py").read_text(encoding="utf-8").splitlines()]
    wrong = [f"lines {first}-{last}: line {first} should begin with {begins!r}"
             + (f", line {last} with {ends!r}" if ends else "")
             for first, last, begins, ends in tut10_pieces()
             if not lines[first - 1].startswith(begins)
             or (ends and not lines[last - 1].startswith(ends)) or (not ends and last != first)]
    if wrong:
        pytest.fail(f"tut10.py does not match the table of {TUT10[0]}, "
                    f"'{TUT10[1].lstrip('# ')}': {'; '.join(wrong)}", pytrace=False)


def test_the_chapter_10_page_cites_tut10_lines_in_its_table_only():
    assert tut10_pieces()
    prose = [line for line in section(*TUT10) if not line.startswith("|")]
    assert not [line for line in prose if re.search(r"\blines? \d", line)]
