"""Shared fixtures: chapter scripts booted as a reader runs them, and HTTP clients.

Each server runs `python tutNN.py` (through tests/launch.py, which only picks
a free port) in a working folder of its own holding copies of `index.html`
and `public/`, with its output in `server.log` there. The copies of the page
and the stylesheet end with a line of their own (FOLDER_MARK), so that a test
can tell them from the repository's files.

Portable: on Windows, which has no signal to stop a process cleanly from
outside, servers are terminated and tests that need a clean stop skip.
"""
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing, contextmanager
from pathlib import Path

import pytest
import requests
from browser_fixtures import (  # noqa: F401 (fixtures for the browser test modules)
    browser,
    browser_context,
    browser_type_launch_args,
    page,
    picture,
    requested,
)
from printed import REACT, REPO

LAUNCHER = Path(__file__).with_name("launch.py")
BOOT_SECONDS = 30
STOP_SECONDS = 15
REQUEST_SECONDS = 10
SCENARIO_SECONDS = 180  # a background scenario: boots, requests, chapter 12's three pytest runs
SERVING = re.compile(r"ENGINE Serving on (http://127\.0\.0\.1:\d+)")
WINDOWS = os.name == "nt"
KILLED = 1 if WINDOWS else -signal.SIGKILL  # the exit code of a killed server
# Added to each server folder's copies of index.html and public/css/style.css.
FOLDER_MARK = {"index.html": "<!-- the copy in the folder the server was started in -->\n",
               "public/css/style.css": "/* the copy in the folder the server was started in */\n"}
needs_a_clean_stop = pytest.mark.skipif(
    WINDOWS, reason="Windows has no SIGTERM or SIGINT to send to a server: it can only be "
                    "killed, so what CherryPy does on a clean stop cannot be checked there")

# Python 3.13 prints this at exit for each connection whose client hung up
# mid-response: cheroot's writer keeps the unsent bytes and flushes them to the
# closed socket when it is finalized (cheroot issues #734 and #710). It is not
# the chapter's doing, and the chapter still exits 0; any other traceback is.
CHEROOT_FLUSH_AT_EXIT = re.compile(
    r"Exception ignored in: <function IOBase\.__del__ at 0x[0-9a-f]+>\n"
    r"Traceback \(most recent call last\):\n"
    r"(?:  .*\n)*?"
    r'  File "[^"\n]*cheroot[/\\]makefile\.py", line \d+, in _flush_unlocked\n'
    r"(?:  .*\n)*?"
    r"OSError: \[Errno 9\] Bad file descriptor\n")


def has_a_traceback(log):
    """Whether `log` holds a traceback other than CHEROOT_FLUSH_AT_EXIT."""
    return "Traceback" in CHEROOT_FLUSH_AT_EXIT.sub("", log)


STARTED = []  # every server any test started, so that none outlives the run


def table_names(folder):
    """The tables in `folder`/my.db, read as another program would."""
    with closing(sqlite3.connect(folder / "my.db")) as db:
        return [name for (name,) in db.execute("SELECT name FROM sqlite_master "
                                                "WHERE type='table'")]


def stored_sessions(folder):
    """The session ids in chapter 10's `folder`/my.db, read as another program would."""
    with closing(sqlite3.connect(folder / "my.db")) as db:
        return {session_id for (session_id,) in db.execute("SELECT id FROM session")}


@contextmanager
def as_a_background_job():
    """Start children as a script's background job does, with SIGINT ignored
    (launch.py gives each chapter a terminal's Ctrl-C back), so that every
    Ctrl-C test also proves the suite passes when started that way."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set a signal handler
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def pytest_addoption(parser):
    parser.addoption("--screenshots", action="store_true",
                     help="browser tests save the pictures of the pages under docs/")


def reap(servers):
    """Kill every server of `servers` still running; a line for each one."""
    left = []
    for server in servers:
        if server.process.poll() is None:
            server.kill()
            left.append(f"{server.script} (pid {server.process.pid}, in {server.folder}) "
                        "was still running at the end of the run: killed")
    return left


def pytest_sessionfinish(session):
    """Whatever failed, no server outlives the run; one that had to be killed here
    means a test or fixture lost track of it, so the run fails."""
    left = reap(STARTED)
    if left:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        for line in left:
            reporter.write_line(line, red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def nice(pid, niceness):
    """Lower a process's priority, where the OS lets us (POSIX)."""
    if hasattr(os, "setpriority"):
        os.setpriority(os.PRIO_PROCESS, pid, niceness)


def pytest_collection_modifyitems(items):
    """Tests that read what a background scenario recorded go late, to give it
    time; tests marked runs_last (they stop the shared servers) go after all."""
    def order(item):
        return (item.get_closest_marker("runs_last") is not None,
                item.get_closest_marker("background") is not None)
    items.sort(key=order)


def wait_for(condition, seconds, what):
    """Poll `condition` until it returns something truthy, or fail after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.02)
    raise TimeoutError(f"{what}: not within {seconds} s")


class ChapterServer:
    """One chapter script running as its own process, in its own folder."""

    def __init__(self, script, folder, app_config=None, site=REPO):
        self.script, self.folder, self.site = script, Path(folder), site
        self.name = Path(script).stem  # "tut05"
        self.log_path = self.folder / "server.log"
        self.app_config = app_config
        self.process = None
        self.url = None
        self.stop_seconds = STOP_SECONDS

    def start(self, niceness=0):
        """Start the process; `wait_until_started` completes the boot."""
        self.folder.mkdir(parents=True, exist_ok=True)
        if not (self.folder / "public").exists():
            shutil.copytree(self.site / "public", self.folder / "public")
            shutil.copy(self.site / "index.html", self.folder)
            for path, mark in FOLDER_MARK.items():
                with open(self.folder / path, "a", encoding="utf-8") as copy:
                    copy.write(mark)
        self.log_offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        self.log_mark = None  # where the log stood when the server was signalled
        with open(self.log_path, "ab") as log, as_a_background_job():
            self.process = subprocess.Popen(
                self.command(), cwd=self.folder, stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL)
        STARTED.append(self)
        if niceness:
            nice(self.process.pid, niceness)
        return self

    def command(self):
        """The chapter as a reader runs it, through launch.py."""
        command = [sys.executable, str(LAUNCHER), str(REPO / self.script)]
        if self.app_config:
            command.append(json.dumps(self.app_config))
        return command

    def log(self):
        """What this run of the server has written so far."""
        with open(self.log_path, encoding="utf-8", errors="replace") as log:
            log.seek(self.log_offset)
            return log.read()

    def wait_until_started(self):
        """Block until the engine is STARTED (a signal while STARTING exits 70)."""
        if self.url:
            return self

        def started():
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.script} exited {self.process.returncode}:\n{self.log()}")
            text = self.log()
            return "ENGINE Bus STARTED" in text and SERVING.search(text)

        self.url = wait_for(started, BOOT_SECONDS, f"{self.script} start").group(1)
        return self

    def send(self, signum):
        self.log_mark = len(self.log())
        self.process.send_signal(signum)
        return self

    def wait(self):
        """Wait for the process to exit; kill it if it overstays. Returns the exit code."""
        try:
            return self.process.wait(self.stop_seconds)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(STOP_SECONDS)
            raise

    def exit_code(self):
        """`wait()`'s exit code, or a sentence saying it was killed for overstaying."""
        try:
            return self.wait()
        except subprocess.TimeoutExpired:
            return f"nothing: still running {self.stop_seconds} s after the signal, so killed"

    def kill(self):
        """Crash the server: SIGKILL gives it no chance to clean up."""
        self.log_mark = len(self.log())
        self.process.kill()
        return self.wait()

    def log_since_signal(self):
        return self.log()[self.log_mark:]

    def request(self, method, path, **kwargs):
        """A one-off request with no session."""
        with Client(self.url) as client:
            return client.request(method, path, **kwargs)

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)


class ChapterServers:
    """Servers started by one fixture; all are stopped, together, when it ends."""

    def __init__(self, tmp_path_factory, niceness=0):
        self.tmp_path_factory = tmp_path_factory
        self.niceness = niceness
        self.running = []

    def start(self, script, folder=None, app_config=None, niceness=None, site=REPO):
        """Start a server and return at once, so that several boots overlap."""
        folder = folder or self.tmp_path_factory.mktemp(Path(script).stem)
        server = ChapterServer(script, folder, app_config, site)
        self.running.append(server.start(self.niceness if niceness is None else niceness))
        return server

    def boot(self, script, folder=None):
        """Start a server and wait until it serves."""
        return self.start(script, folder).wait_until_started()

    def terminate_all(self):
        """SIGTERM every server not signalled yet, without waiting for it to stop
        (but for it to have started: a SIGTERM while STARTING exits 70)."""
        for server in self.running:
            if server.process.poll() is None and server.log_mark is None:
                server.wait_until_started().send(signal.SIGTERM)

    def stop_all(self):
        """SIGTERM every server still running, then check each stopped cleanly."""
        self.terminate_all()
        failures = []
        for server in self.running:
            code = server.exit_code()
            unclean = code not in (0, KILLED) and not WINDOWS  # Windows can only kill
            if unclean or has_a_traceback(server.log_since_signal()):
                failures.append(f"{server.script} exited {code}:\n{server.log_since_signal()}")
        assert not failures, "\n".join(failures)


class SharedServers(ChapterServers):
    """One server per chapter for the whole run, each in its own folder, and
    fresh servers for the tests that ask for them, all started at once: the
    chapter the first test needs at full speed, the others niced, so that they
    boot on the CPU time the tests leave idle. The background scenarios start
    with them, each in a thread, on niced servers of their own."""

    def __init__(self, tmp_path_factory, chapters, fresh_scripts, scenarios):
        super().__init__(tmp_path_factory)
        self.chapters = {name: self.start(**SERVED[name], niceness=5 if number else 0)
                         for number, name in enumerate(chapters)}
        self.fresh = [self.start(script, niceness=10) for script in fresh_scripts]
        self.background = []  # each scenario's ChapterServers
        pool = ThreadPoolExecutor(max(len(scenarios), 1), thread_name_prefix="background")
        self.recorded = {scenario: pool.submit(self.run_in_background, scenario)
                         for scenario in scenarios}
        pool.shutdown(wait=False)  # each thread ends with its scenario

    def run_in_background(self, scenario):
        """`scenario(servers)` on niced servers of its own, signalled to stop as it ends."""
        servers = ChapterServers(self.tmp_path_factory, niceness=10)
        self.background.append(servers)
        try:
            return scenario(servers)
        finally:
            servers.terminate_all()

    def stop_all(self):
        """Once the background scenarios are done, check their servers' stops too."""
        for outcome in self.recorded.values():
            outcome.exception(timeout=SCENARIO_SECONDS)  # its own test reports a failure
        for servers in self.background:
            self.running.extend(servers.running)
        super().stop_all()

    def chapter(self, name):
        if name not in self.chapters:
            self.chapters[name] = self.start(**SERVED[name])
        return self.chapters[name].wait_until_started()

    def take_fresh(self, script):
        """A fresh server of `script`, for one test's use: one started early if
        there is one. Its stop is checked with the others'."""
        for server in self.fresh:
            if server.script == script:
                self.fresh.remove(server)
                return server
        return self.start(script)


CHAPTERS = [f"tut{number:02d}" for number in range(1, 11)]  # the July 2014 text's
# Fixture name -> the server it stands for: the 2014 chapters, then today's text's
# chapter 10 (chapter 9's code serving the React page) and chapter 12's tut12.py.
SERVED = {name: {"script": f"{name}.py"} for name in CHAPTERS}
SERVED["react"] = {"script": "tut09.py", "site": REPO / REACT}
SERVED["tut12"] = {"script": "2018-ch12-pytest/tut12.py"}
# Chapter 10 with its tool switched off from outside (launch.py's config merge).
SERVED["tut10_without_the_tool"] = {"script": "tut10.py", "app_config": {
    "/generator": {"tools.check_length.on": False}}}


def chapters_named(item):
    """The chapters a test uses: `tutNN` fixtures, or `chapter` parameters."""
    params = getattr(item, "callspec", None)
    return set(item.fixturenames) | {params.params.get("chapter") if params else None}


def scenarios_wanted(items):
    """The scenarios named by the selected tests' `background` markers, once each."""
    wanted = {}
    for item in items:
        for marker in item.iter_markers("background"):
            wanted.update(dict.fromkeys(marker.args))
    return list(wanted)


def fresh_scripts_wanted(items):
    """The scripts named by `fresh_servers` markers, once per marked test or module."""
    marked = {}
    for item in items:
        for node, marker in item.iter_markers_with_node("fresh_servers"):
            marked[node.nodeid, marker.args] = marker.args
    return [script for scripts in marked.values() for script in scripts]


@pytest.fixture(scope="session")
def shared_servers(request, tmp_path_factory):
    """Start at once every chapter a selected test uses, and the fresh servers
    the selected tests will boot for themselves (so those boots overlap too)."""
    items = request.session.items
    in_order_of_use = {}  # a dict keeps the order
    for item in items:
        in_order_of_use.update(dict.fromkeys(sorted(chapters_named(item) & set(SERVED))))
    servers = SharedServers(tmp_path_factory, list(in_order_of_use), fresh_scripts_wanted(items),
                            scenarios_wanted(items))
    yield servers
    servers.stop_all()


@pytest.fixture
def recorded(request, shared_servers):
    """What the scenario of this test's `background` marker returned: it ran in a
    thread from the start of the run, on niced servers of its own, so that its
    waits overlap the other tests."""
    scenario, = request.node.get_closest_marker("background").args
    return shared_servers.recorded[scenario].result(timeout=SCENARIO_SECONDS)


def chapter_fixture(name):
    """Fixture `name` (a key of SERVED): that shared server, once it serves."""
    def server(shared_servers):
        return shared_servers.chapter(name)

    server.__doc__ = f"The shared server of {SERVED[name]['script']}."
    return pytest.fixture(scope="session", name=name)(server)


for _name in SERVED:
    globals()[_name] = chapter_fixture(_name)


@pytest.fixture
def chapter(request):
    """The shared server of the chapter named by indirect parametrization."""
    return request.getfixturevalue(request.param)


class Client(requests.Session):
    """A reader's browser: keeps its session cookie; every request has a deadline."""

    def __init__(self, base_url):
        super().__init__()
        self.base_url = base_url
        # Talk to the server directly: a proxy in the reader's environment
        # (HTTP_PROXY) would otherwise carry requests for 127.0.0.1 too.
        self.trust_env = False

    def request(self, method, url, **kwargs):
        kwargs.setdefault("timeout", REQUEST_SECONDS)
        return super().request(method, self.base_url + url, **kwargs)


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


def connected(client):
    """`client`, its keep-alive connection already open. CherryPy listens with
    a backlog of 5: twenty clients connecting at once would wait for TCP to retry."""
    # CherryPy's own icon; under chapter 7's MethodDispatcher at /, a 405; 404
    # with Debian's CherryPy package, which leaves the icon out.
    assert client.get("/favicon.ico").status_code in (200, 404, 405)
    return client
