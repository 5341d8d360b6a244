"""Fixtures and hooks: a test names the chapter it needs (`tut05`) and gets its
shared server (servers.py); `client_of` makes it readers with cookies of their own."""
import signal
from pathlib import Path

import pytest
from chapters import chapters_named_in, chapters_used, chosen, selected
from clients import Client
from servers import CHAPTERS, REPO, DoesNotStart, Pool
from tables import notes_on_changed_lines

pytest_plugins = ["browser_fixtures"]
TOLD = set()  # the headlines of DoesNotStart whose log a failure has shown
NOTES = {}  # with --from: lines as printed, in failed chapters, that this repository changed


def pytest_addoption(parser):
    parser.addoption("--chapter", metavar="N", help="the tests of one chapter: N as today's "
                     "text numbers it (1 to 12), or the file you run, without .py (tut10)")
    parser.addoption("--from", metavar="DIR", dest="from_folder", help="the behaviour tests, "
                     "on the chapter files you wrote in DIR (write --from=DIR)")
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
    """A chapter that does not start: its log at the first test that fails for it, one
    line at the next. With --from: a failure says it rests on lines this repository changed."""
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
            report.sections.append(("--from", "Your files hold printed lines that this "
                                              "repository changed: listed at the end"))


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
    """The run's servers. Each shared server the selected tests use starts now, all at
    once, and so does each module's `start_early(pool, chapters)`; at the end, SIGTERM."""
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


def pytest_sessionfinish(session):  # a server killed at the end fails the run, named
    for line in getattr(session.config, "left_running", []):
        session.config.pluginmanager.get_plugin("terminalreporter").write_line(line, red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def shared_server_fixture(name):
    def fixture(pool):
        return pool.shared_server(name)

    fixture.__doc__ = f"{name}'s shared server: {CHAPTERS[name][0]} serving {CHAPTERS[name][1]}/"
    return pytest.fixture(fixture, name=name)


# A fixture per chapter: tut01 ... tut10, react (today's 10), tut12 (today's 12).
for _name in CHAPTERS:
    globals()[_name] = shared_server_fixture(_name)


@pytest.fixture
def chapter(request, pool):
    """The shared server of the chapter named by an indirect `chapter` parameter."""
    return pool.shared_server(request.param)


@pytest.fixture(scope="module")
def chapters_tested_here(request):
    """The chapters this module's selected tests name, for a fixture serving them at once."""
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
