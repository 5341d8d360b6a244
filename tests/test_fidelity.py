"""The files hold the code the texts print, changed only where README's table says.

Each row of README's "Changed lines" table names a file, a line of it, the
printed code (or "—" for an added line) and the code the file has instead,
indented as the printed line. Every other line must be the printed line, as
Sphinx renders it. Which text a file follows, and which block, is in
printed.FILES.
"""
import difflib

import pytest
from printed import FILES, REPO, where_printed, with_the_texts_edit
from readme import as_listed, changed_lines


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


@pytest.mark.parametrize("line, start", [
    (14, "# The crew (a plugin)"),
    (17, "class DatabasePlugin(SimplePlugin):"),
    (56, "return con"),
    (59, "# The crew also keeps the sessions"),
    (63, "class DatabaseSession(cherrypy.lib.sessions.Session):"),
    (97, "[self.now().timestamp()])"),
    (100, "# The discount (a tool)"),
    (114, "cherrypy.tools.check_length = cherrypy.Tool('before_handler', check_length)"),
    (117, "# The tills (a dispatcher)"),
    (133, "return resource, vpath"),
    (191, "db.subscribe()"),
    (195, "'tools.sessions.on': True,"),
    (197, "'tools.sessions.db': db,"),
    (201, "'request.dispatch': TillDispatcher("),
    (202, "'tools.check_length.on': True,"),
])
def test_the_tut10_lines_the_readme_cites_are_where_it_says(line, start):
    lines = (REPO / "tut10.py").read_text(encoding="utf-8").splitlines()
    assert lines[line - 1].strip().startswith(start)
