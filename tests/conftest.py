"""Fixtures and hooks. A test names the chapter it needs (`tut05`) and gets that
chapter's server (tests/servers.py), shared by the chapter's tests; each test
makes clients of its own (`client_of`), so a session cookie of its own.
"""
import signal
from pathlib import Path

import pytest
from chapters import chosen, selected
from clients import Client
from servers import CHAPTERS, REPO, DoesNotStart, Pool
from tables import notes_on_changed_lines

pytest_plugins = ["browser_fixtures"]
TOLD = set()  # the chapters that did not start whose log a failure has shown
NOTES = {}  # with --from: the lines as printed, in the failed chapters, that this repository changed


def pytest_addoption(parser):
    parser.addoption("--chapter", metavar="N",
                     help="run the tests of one chapter: N as today's text numbers it "
                          "(1 to 12), or the file you run, without .py (tut10)")
    parser.addoption("--from", metavar="DIR", dest="from_folder",
                     help="run the behaviour tests on the chapter files you wrote in DIR "
                          "(tut05.py, index.html, public/ ...) instead of this repository's")
    parser.addoption("--screenshots", action="store_true",
                     help="browser tests save the pictures of the pages under docs/")


def pytest_configure(config):
    """--chapter and --from: usage errors before any test runs."""
    config.chapter, config.found = chosen(config.getoption("chapter"),
                                          config.getoption("from_folder"))


def pytest_collection_modifyitems(config, items):
    kept = [item for item in items if selected(item, config.chapter, config.found)]
    if len(kept) < len(items):
        config.hook.pytest_deselected(items=[item for item in items if item not in kept])
        items[:] = kept


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A chapter that does not start: its log's end at the first test that fails for it,
    one line at the next. With --from, a failure says where the test rests on a line
    this repository changed."""
    report = (yield).get_result()
    failure = call.excinfo and call.excinfo.value
    if isinstance(failure, DoesNotStart):
        if failure.headline in TOLD:
            report.longrepr = failure.headline.replace(" start:", " start (see above):")
        TOLD.add(failure.headline)
    if report.failed and item.config.found is not None:
        notes = notes_on_changed_lines(item.nodeid, item.config.getoption("from_folder"))
        if notes:
            NOTES.update(dict.fromkeys(notes))
            report.sections.append(("--from", "Your files hold lines as the text prints them "
                                              "where this repository changed them: listed below"))


def pytest_terminal_summary(terminalreporter, config):
    if NOTES:
        terminalreporter.write_sep("=", "lines as printed that this repository changed")
        for note in NOTES:
            terminalreporter.write_line(note)
    if config.found:
        missing = [name for name in CHAPTERS if name not in config.found]
        terminalreporter.write_line(f"--from {config.getoption('from_folder')}: tested "
                                    f"{', '.join(config.found)}; found no files for "
                                    f"{', '.join(missing) or 'no other chapter'}")


@pytest.fixture(scope="session", autouse=True)
def pool(request, tmp_path_factory):
    """The run's servers. Every shared server the selected tests use starts now,
    all at once, and so does what a test module starts early: its function
    `start_early(pool, chapters)`, given the chapters its selected tests name.
    At the end every server still running gets SIGTERM."""
    folder = request.config.getoption("from_folder")
    run = Pool(tmp_path_factory, Path(folder).expanduser() if folder else REPO)
    items = request.session.items
    for name in dict.fromkeys(name for item in items for name in chapters_used(item)):
        run.shared[name] = run.start(name)
    for module in dict.fromkeys(item.module for item in items):
        if hasattr(module, "start_early"):
            module.start_early(run, chapters_named_in(module, items))
    yield run
    request.config.left_running = run.stop_all()


def pytest_sessionfinish(session):
    """A server that had to be killed at the end fails the run, named."""
    for line in getattr(session.config, "left_running", []):
        session.config.pluginmanager.get_plugin("terminalreporter").write_line(line, red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def chapters_used(item):
    """The chapters whose shared server a test uses: fixtures named after them,
    and `chapter` parameters."""
    params = item.callspec.params if hasattr(item, "callspec") else {}
    return [name for name in CHAPTERS if name in item.fixturenames or params.get("chapter") == name]


def shared_server_fixture(name):
    def fixture(pool):
        return pool.shared_server(name)

    fixture.__doc__ = f"{name}'s shared server: {CHAPTERS[name][0]} serving {CHAPTERS[name][1]}/"
    return pytest.fixture(fixture, name=name)


# One fixture per chapter, named after it: tut01 ... tut10, react (today's
# chapter 10), tut12 (today's chapter 12).
for _name in CHAPTERS:
    globals()[_name] = shared_server_fixture(_name)


@pytest.fixture
def chapter(request, pool):
    """The shared server of the chapter named by an indirect `chapter` parameter."""
    return pool.shared_server(request.param)


def chapters_named_in(module, items):
    """The chapters that the selected tests of `module` name in a `chapter` or
    `name` parameter, for a module fixture that serves them all at once."""
    params = [item.callspec.params for item in items
              if item.module is module and hasattr(item, "callspec")]
    names = dict.fromkeys(p.get("chapter", p.get("name")) for p in params)
    return [name for name in names if name]


@pytest.fixture(scope="module")
def chapters_tested_here(request):
    return chapters_named_in(request.module, request.session.items)


@pytest.fixture
def client_of():
    """Make fresh clients (their own cookies) of a server; closed after the test."""
    clients = []

    def make(server):
        clients.append(Client(server.url))
        return clients[-1]

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def new_server(pool):
    """Start a new server of chapter `name` ("tut10", "react") in a new folder, or
    in `folder`, with `app_config` merged over the script's; returns it once it
    serves. Each gets SIGTERM after the test; the end of the run waits for them."""
    started = []

    def start(name, folder=None, app_config=None):
        started.append(pool.start(name, folder, app_config))
        return started[-1].ready()

    yield start
    for server in started:
        if server.process.poll() is None:
            server.send(signal.SIGTERM)
