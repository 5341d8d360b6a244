"""The map from today's docs (docs/tutorials-2018.rst) to the files here.

- README's chapters table gives each chapter's number in both texts, its
  title as the texts print it, and the commands that run it and come back to
  the top folder.
- docs/changes.md's differences table lists every line where today's printed
  code for chapters 1-9 and the top-level file differ, blank lines and
  indentation aside.
- The lines today's text cites are where docs/changes.md says they are.
"""
import difflib

import pytest
from printed import CHAPTER, FILES, REPO, TEXT_2014, TEXT_2018, printed_for
from tables import as_listed, NONE, code, line_number, table

CHAPTERS = ("README.md", "## The chapters")
DIFFERENCES = ("docs/changes.md", "### Where today's printed code differs from the files here")
TOP_LEVEL = [path for path, (text, *_) in FILES.items() if text == TEXT_2014]


def titles(text):
    """{chapter number: title}, as the text's headings give them."""
    headings = (CHAPTER.match(line) for line in text.read_text(encoding="utf-8").splitlines())
    return {int(h.group(1)): h.string[h.end():].strip() for h in headings if h}


def test_the_chapters_table_numbers_and_titles_every_chapter_of_both_texts():
    rows = table(*CHAPTERS)
    then, today = titles(TEXT_2014), titles(TEXT_2018)
    assert [row[1] for row in rows] == [str(number) for number in sorted(today)]
    for number_then, number_today, title, *_ in rows:
        assert title == today[int(number_today)]
        if number_then != NONE:
            assert title == then[int(number_then)]
    assert sorted(int(row[0]) for row in rows if row[0] != NONE) == sorted(then)


def test_each_chapter_runs_with_the_command_the_table_gives():
    run = {row[1]: row[3] for row in table(*CHAPTERS)}
    for number in range(1, 10):
        assert run[str(number)] == f"`python tut{number:02d}.py`"
    assert run["10"] == "`cd 2018-ch10-react`, then `python ../tut09.py`, then `cd ..`"
    assert run["11"] == "`python tut10.py`"
    assert run["12"] == "`cd 2018-ch12-pytest`, then `pytest -v test_tut12.py`, then `cd ..`"


def nonblank_lines(text):
    return [(number, line.strip()) for number, line in enumerate(text.splitlines(), 1)
            if line.strip()]


def differences(path):
    """What only today's text prints and what only the file has, as sets of
    (line number, code); blank lines and indentation aside."""
    today = nonblank_lines(printed_for(path, TEXT_2018))
    here = nonblank_lines(as_listed(path))  # the file as test_fidelity checks it
    matcher = difflib.SequenceMatcher(a=[line for _, line in today],
                                      b=[line for _, line in here], autojunk=False)
    only_today, only_here = set(), set()
    for operation, a1, a2, b1, b2 in matcher.get_opcodes():
        if operation != "equal":
            only_today.update(today[a1:a2])
            only_here.update(here[b1:b2])
    return only_today, only_here


def listed(path):
    """The same two sets, as docs/changes.md's differences table gives them."""
    rows = [row for row in table(*DIFFERENCES) if code(row[1]) == path]
    return ({(line_number(row[2]), code(row[3])) for row in rows if row[3] != NONE},
            {(line_number(row[4]), code(row[5])) for row in rows if row[5] != NONE})


def test_the_differences_table_names_only_top_level_files():
    assert {code(row[1]) for row in table(*DIFFERENCES)} <= set(TOP_LEVEL)


@pytest.mark.parametrize("path", TOP_LEVEL)
def test_the_readme_lists_every_difference_from_todays_printed_code(path):
    assert listed(path) == differences(path)


def todays(path, line):
    """Line `line` of the code today's text prints for `path`."""
    return printed_for(path, TEXT_2018).splitlines()[line - 1].strip()


def here(path, line):
    """Line `line` of the file here, as listed (test_fidelity checks the file is)."""
    return as_listed(path).splitlines()[line - 1].strip()


# (what today's text says, the lines it means in its own numbering, the same
# lines in the file here, what the first of them holds)
CITED = [
    ("The lines 30-34 show you how to enable the session support", (32, 36), ("tut05.py", 30, 34),
     "conf = {"),
    ("This is what goes on line 27", (29, 29), ("tut07.py", 27, 27),
     "'request.dispatch': cherrypy.dispatch.MethodDispatcher(),"),
    ("registered to the CherryPy's server on lines 85-86", (85, 86), ("tut09.py", 76, 77),
     "cherrypy.engine.subscribe('start', setup_database)"),
    (":lineno-start: 17", (17, 18), ("2018-ch12-pytest/tut12.py", 17, 18),
     "if __name__ == '__main__':"),
]


@pytest.mark.parametrize("says, today_lines, here_lines, first", CITED,
                         ids=[here_lines[0] for _, _, here_lines, _ in CITED])
def test_the_lines_todays_text_cites_are_where_the_readme_says(says, today_lines, here_lines,
                                                                first):
    assert says in TEXT_2018.read_text(encoding="utf-8")
    path, start, end = here_lines
    meant = [todays(path, line) for line in range(today_lines[0], today_lines[1] + 1)]
    assert meant == [here(path, line) for line in range(start, end + 1)]
    assert meant[0] == first
    span = str(start) if start == end else f"{start}–{end}"
    assert f"`{path}` {span}" in (REPO / "docs/changes.md").read_text(encoding="utf-8")
