"""Fixtures: the chapter servers (tests/servers.py runs them) and their clients.

A test asks for a chapter's server by its name: `tut01` ... `tut10`, `react`
(today's chapter 10) or `tut12` (today's chapter 12), or with a `chapter`
parameter (indirect). Every server the selected tests use starts at the start
of the run, all at once; each is shared by its chapter's tests, each test with
clients of its own (so a session cookie of its own).
"""
import pytest
from browser_fixtures import (  # noqa: F401 (fixtures for the browser test modules)
    browser,
    browser_context,
    browser_type_launch_args,
    page,
    picture,
    requested,
)
from chapters import chapter_named, chapters_in
from clients import Client
from servers import (
    SCENARIOS,
    SERVED,
    ServerGroup,
    Servers,
    no_server_outlives_the_run,
    scenarios_used_by,
    shared_servers_used_by,
)


def pytest_addoption(parser):
    parser.addoption("--chapter", metavar="N",
                     help="run every test of one chapter and nothing else: N as today's text "
                          "numbers it (1 to 12), or the file you run, without .py (tut10)")
    parser.addoption("--screenshots", action="store_true",
                     help="browser tests save the pictures of the pages under docs/")


def pytest_configure(config):
    if config.getoption("chapter"):
        chapter_named(config.getoption("chapter"))  # a usage error before collection


def pytest_collection_modifyitems(config, items):
    """--chapter N keeps the tests whose ids name that chapter. Then, for speed
    only (any order passes): tests that read a background scenario go late, to
    give it time, and tests that stop the shared servers last, so that no other
    test needs a second boot."""
    if config.getoption("chapter"):
        chapter = chapter_named(config.getoption("chapter"))
        config.hook.pytest_deselected(
            items=[item for item in items if chapter not in chapters_in(item.nodeid)])
        items[:] = [item for item in items if chapter in chapters_in(item.nodeid)]

    def order(item):
        return (item.get_closest_marker("stops_shared_servers") is not None,
                bool(SCENARIOS.keys() & set(item.fixturenames)))
    items.sort(key=order)


def pytest_sessionfinish(session):
    no_server_outlives_the_run(session)


@pytest.fixture(scope="session")
def servers(request, tmp_path_factory):
    """Every server and background scenario the selected tests use, started at
    once; at the end each server gets SIGTERM and must stop cleanly."""
    items = request.session.items
    run = Servers(tmp_path_factory, shared_servers_used_by(items), scenarios_used_by(items))
    yield run
    run.stop_all()


@pytest.fixture
def tut01(servers):
    return servers.chapter("tut01")


@pytest.fixture
def tut02(servers):
    return servers.chapter("tut02")


@pytest.fixture
def tut03(servers):
    return servers.chapter("tut03")


@pytest.fixture
def tut04(servers):
    return servers.chapter("tut04")


@pytest.fixture
def tut05(servers):
    return servers.chapter("tut05")


@pytest.fixture
def tut06(servers):
    return servers.chapter("tut06")


@pytest.fixture
def tut07(servers):
    return servers.chapter("tut07")


@pytest.fixture
def tut08(servers):
    return servers.chapter("tut08")


@pytest.fixture
def tut09(servers):
    return servers.chapter("tut09")


@pytest.fixture
def tut10(servers):
    return servers.chapter("tut10")


@pytest.fixture
def tut10_without_the_tool(servers):
    """Chapter 10 with its check_length tool switched off from outside."""
    return servers.chapter("tut10_without_the_tool")


@pytest.fixture
def react(servers):
    """Today's chapter 10: tut09.py started in 2018-ch10-react/."""
    return servers.chapter("react")


@pytest.fixture
def tut12(servers):
    """Today's chapter 12's tut12.py, run as `python tut12.py`."""
    return servers.chapter("tut12")


@pytest.fixture
def chapter(request, servers):
    """The shared server of the chapter named by an indirect `chapter` parameter."""
    return servers.chapter(request.param)


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
def new_server(tmp_path_factory):
    """Start a fresh server of chapter `name` (a fixture name: "tut10", "react"),
    in a new folder or in `folder`, with `app_config` merged over the script's;
    returns it once it serves. Each is stopped after the test."""
    group = ServerGroup(tmp_path_factory)

    def start(name, folder=None, app_config=None):
        served = {**SERVED[name], **({"app_config": app_config} if app_config else {})}
        return group.start(**served, folder=folder).ready()

    yield start
    group.terminate_all()
    for server in group.running:
        server.exit_code()
