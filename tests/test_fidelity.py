"""The files hold the code the texts print, changed only where README's table says.

Each row of README's "Changed lines" table names a file, a line of it, the
printed code (or "—" for an added line) and the code the file has instead.
Every other line must be the printed line, as Sphinx renders it. Which text a
file follows, and which block, is in printed.FILES.
"""
import pytest
from conftest import REPO
from printed import FILES, printed_for
from readme import code, table

CHANGED_LINES = "## Changed lines"


def changed_lines():
    """{file: {line: (printed or None, now)}} from README's table."""
    changes = {}
    for _, path, line, was, now, _ in table(CHANGED_LINES):
        changes.setdefault(code(path), {})[int(line)] = (code(was), code(now))
    return changes


def test_readme_lists_changes_only_in_files_that_print_code():
    assert set(changed_lines()) <= set(FILES)


@pytest.mark.parametrize("path", sorted(FILES))
def test_file_is_the_printed_code_but_for_the_listed_changes(path):
    expected = printed_for(path).splitlines()
    actual = (REPO / path).read_text(encoding="utf-8").splitlines()
    changes = changed_lines().get(path, {})
    for line, (was, _) in sorted(changes.items()):
        if was is None:
            expected.insert(line - 1, None)  # an added line
    assert len(actual) == len(expected)
    for number, (now, then) in enumerate(zip(actual, expected), start=1):
        if number in changes:
            was, listed = changes[number]
            assert then is None or then.strip() == was, f"{path}:{number} printed"
            assert now.strip() == listed, f"{path}:{number}"
        else:
            assert now == then, f"{path}:{number} differs from the text"


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
    (53, "return con"),
    (56, "# The discount (a tool)"),
    (70, "cherrypy.tools.check_length = cherrypy.Tool('before_handler', check_length)"),
    (73, "# The tills (a dispatcher)"),
    (89, "return resource, vpath"),
    (148, "db.subscribe()"),
    (152, "'tools.sessions.on': True,"),
    (154, "'tools.sessions.storage_path': os.path.abspath(SESSIONS_DIR),"),
    (158, "'request.dispatch': TillDispatcher("),
    (159, "'tools.check_length.on': True,"),
])
def test_the_tut10_lines_the_readme_cites_are_where_it_says(line, start):
    lines = (REPO / "tut10.py").read_text(encoding="utf-8").splitlines()
    assert lines[line - 1].strip().startswith(start)
