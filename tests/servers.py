"""Chapter scripts run as a reader runs them: each a process of its own, in a folder of its own.

- `ChapterServer`: one `python tutNN.py`, through launch.py (which only picks a
  free port), started in a folder holding copies of the `index.html` and
  `public/` it serves, its output in `server.log` there.
- `ServerGroup`: servers started together; at the end each gets SIGTERM and
  must exit 0 with no traceback.
- `Servers`: all of a test run's servers: one shared server per chapter, and
  the background scenarios (`background`), all started at the start of the
  run so that their boots overlap.

Portable: on Windows, which has no signal to stop a process cleanly from
outside, servers are killed, and the tests that need a clean stop skip.
"""
import inspect
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest
from clients import Client
from launch import READY
from printed import REACT, REPO

LAUNCHER = Path(__file__).with_name("launch.py")
BOOT_SECONDS = 30
STOP_SECONDS = 15
SCENARIO_SECONDS = 180  # a background scenario: boots, requests, chapter 12's pytest runs
SERVING = re.compile(r"ENGINE Serving on (http://127\.0\.0\.1:\d+)")
WINDOWS = os.name == "nt"
KILLED = 1 if WINDOWS else -signal.SIGKILL  # the exit code of a killed server
needs_a_clean_stop = pytest.mark.skipif(
    WINDOWS, reason="Windows has no SIGTERM or SIGINT to send to a server: it can only be "
                    "killed, so what CherryPy does on a clean stop cannot be checked there")

# How each server runs: its script, the folder whose index.html and public/ it
# serves, and an app config merged over the script's (launch.py).
SERVED = {f"tut{n:02d}": {"script": f"tut{n:02d}.py"} for n in range(1, 11)}
SERVED["react"] = {"script": "tut09.py", "site": REPO / REACT}  # today's chapter 10
SERVED["tut12"] = {"script": "2018-ch12-pytest/tut12.py"}  # today's chapter 12
SERVED["tut10_without_the_tool"] = {"script": "tut10.py", "app_config": {
    "/generator": {"tools.check_length.on": False}}}

# Added to each server folder's copies of index.html and public/css/style.css,
# so that a test can tell them from the repository's files.
FOLDER_MARK = {"index.html": "<!-- the copy in the folder the server was started in -->\n",
               "public/css/style.css": "/* the copy in the folder the server was started in */\n"}

# What every child is started with: the environment as it was when the tests
# began. A child started without one reads the parent's live environment while
# it starts, and pytest rewrites it (PYTEST_CURRENT_TEST) in the main thread
# while background threads start servers: the child then fails, now and then,
# with "OSError: [Errno 14] Bad address".
ENVIRONMENT = dict(os.environ)

# Python 3.13 and later print this at exit for each connection whose client
# hung up mid-response: cheroot's writer keeps the unsent bytes and flushes them
# to the closed socket when it is finalized (cheroot issues #734 and #710). It
# is not the chapter's doing, and the chapter still exits 0; any other
# traceback is. 3.13 says "Exception ignored in: <function ...>", 3.14
# "Exception ignored while calling deallocator <function ...>:".
CHEROOT_FLUSH_AT_EXIT = re.compile(
    r"Exception ignored (?:in: |while calling deallocator )"
    r"<function IOBase\.__del__ at 0x[0-9a-f]+>:?\n"
    r"Traceback \(most recent call last\):\n"
    r"(?:  .*\n)*?"
    r'  File "[^"\n]*cheroot[/\\]makefile\.py", line \d+, in _flush_unlocked\n'
    r"(?:  .*\n)*?"
    r"OSError: \[Errno 9\] Bad file descriptor\n")


def has_a_traceback(log):
    """Whether `log` holds a traceback other than CHEROOT_FLUSH_AT_EXIT."""
    return "Traceback" in CHEROOT_FLUSH_AT_EXIT.sub("", log)


def spawn(command, **options):
    """subprocess.Popen, with ENVIRONMENT unless `env` is given."""
    options.setdefault("env", ENVIRONMENT)
    return subprocess.Popen(command, **options)


def wait_for(condition, seconds, what):
    """Poll `condition` until it returns something truthy, or fail after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.02)
    raise TimeoutError(f"{what}: not within {seconds} s")


def nice(pid, niceness):
    """Lower a process's priority, where the OS lets us (POSIX)."""
    if hasattr(os, "setpriority"):
        os.setpriority(os.PRIO_PROCESS, pid, niceness)


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


STARTED = []  # every server any test started, so that none outlives the run


def reap(servers):
    """Kill every server of `servers` still running; a line for each one."""
    left = []
    for server in servers:
        if server.process.poll() is None:
            server.kill()
            left.append(f"{server.script} (pid {server.process.pid}, in {server.folder}) "
                        "was still running at the end of the run: killed")
    return left


def no_server_outlives_the_run(session):
    """Kill every server still running at the end of the run; one that had to
    be killed here means a test or fixture lost track of it: the run fails."""
    left = reap(STARTED)
    if left:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        for line in left:
            reporter.write_line(line, red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


class ChapterServer:
    """One chapter script running as its own process, in its own folder."""

    def __init__(self, script, folder, app_config=None, site=REPO):
        self.script, self.folder, self.site = script, Path(folder), site
        self.name = Path(script).stem  # "tut05"
        self.log_path = self.folder / "server.log"
        self.app_config = app_config
        self.process = None
        self.url = None
        self.log_mark = None  # where the log stood when the server was signalled
        self.stop_seconds = STOP_SECONDS

    def start(self, niceness=0):
        """Start the process; `ready` completes the boot."""
        self.folder.mkdir(parents=True, exist_ok=True)
        if not (self.folder / "public").exists():
            shutil.copytree(self.site / "public", self.folder / "public")
            shutil.copy(self.site / "index.html", self.folder)
            for path, mark in FOLDER_MARK.items():
                with open(self.folder / path, "ab") as copy:  # b: "\n" on every OS
                    copy.write(mark.encode("utf-8"))
        self.log_offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        with open(self.log_path, "ab") as log, as_a_background_job():
            self.process = spawn(self.command(), cwd=self.folder, stdout=log,
                                 stderr=subprocess.STDOUT,
                                 stdin=subprocess.PIPE)  # launch.py stops when it closes
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

    def ready(self):
        """Block until the server serves and CherryPy waits for a signal (launch.py's
        READY): a signal sent while it still starts exits 70, or worse."""
        if self.url:
            return self

        def serving():
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.script} exited {self.process.returncode}:\n{self.log()}")
            text = self.log()
            return READY in text and SERVING.search(text)

        self.url = wait_for(serving, BOOT_SECONDS, f"{self.script} start").group(1)
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
        finally:
            self.process.stdin.close()

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

    def stopped_cleanly(self):
        """None if the server exited 0 with no traceback after its signal, else why not."""
        code = self.exit_code()
        if (code not in (0, KILLED) and not WINDOWS) or has_a_traceback(self.log_since_signal()):
            return f"{self.script} exited {code}:\n{self.log_since_signal()}"
        return None


class ServerGroup:
    """Servers started together, each in a new folder unless told; stopped together."""

    def __init__(self, tmp_path_factory, niceness=0):
        self.tmp_path_factory = tmp_path_factory
        self.niceness = niceness
        self.running = []

    def start(self, script, folder=None, app_config=None, site=REPO, niceness=None):
        """Start a server and return at once, so that several boots overlap."""
        folder = folder or self.tmp_path_factory.mktemp(Path(script).stem)
        server = ChapterServer(script, folder, app_config, site)
        self.running.append(server.start(self.niceness if niceness is None else niceness))
        return server

    def boot(self, name, folder=None):
        """Start chapter `name`'s server (a key of SERVED) and wait until it serves."""
        return self.start(**SERVED[name], folder=folder).ready()

    def terminate_all(self):
        """SIGTERM every server not signalled yet, without waiting for it to stop."""
        for server in self.running:
            if server.process.poll() is None and server.log_mark is None:
                server.ready().send(signal.SIGTERM)

    def stop_all(self):
        """SIGTERM every server still running, then check each stopped cleanly."""
        self.terminate_all()
        failures = list(filter(None, (server.stopped_cleanly() for server in self.running)))
        assert not failures, "\n".join(failures)


SCENARIOS = {}  # name -> function, for every scenario `background` made


def background(scenario):
    """Make `scenario(servers[, name])` a fixture of the same name, whose value
    is what it returned. It runs in a thread of its own from the start of the
    run, on niced servers of its own (a ServerGroup), so that its waits overlap
    the other tests; its servers get SIGTERM as it ends. A scenario that takes
    `name` runs once for each chapter `name` its tests are parametrized with."""
    SCENARIOS[scenario.__name__] = scenario

    @pytest.fixture(name=scenario.__name__)
    def recorded(request, servers):
        return servers.recorded(scenario_key(scenario.__name__, request.node))

    recorded.__doc__ = scenario.__doc__
    return recorded


def scenario_key(name, item):
    """(scenario, chapter name or None) for a test that uses the scenario's fixture."""
    if "name" not in inspect.signature(SCENARIOS[name]).parameters:
        return name, None
    return name, item.callspec.params["name"]


def scenarios_used_by(items):
    """Every scenario key the tests `items` use, once each, in order of use."""
    keys = {}
    for item in items:
        for name in SCENARIOS.keys() & set(item.fixturenames):
            keys[scenario_key(name, item)] = None
    return list(keys)


def shared_servers_used_by(items):
    """The shared servers the tests `items` use (fixtures named after a key of
    SERVED, or a `chapter` or `name` parameter), once each, in order of use."""
    names = {}
    for item in items:
        names.update(dict.fromkeys(sorted(SERVED.keys() & set(item.fixturenames))))
        names.update(dict.fromkeys(name for name in chapter_parameters(item) if name in SERVED))
    return list(names)


def chapter_parameters(item):
    """The chapter names a test is parametrized with (`chapter`, `name`)."""
    params = item.callspec.params if hasattr(item, "callspec") else {}
    return [params[key] for key in ("chapter", "name") if key in params]


def chapters_tested_in(module, items):
    """The chapters `name`d by the tests of `module` among `items`: a fixture
    that serves all of a module's chapters at once serves only those."""
    return sorted({params for item in items if item.module is module
                   for params in chapter_parameters(item)})


class Servers:
    """A test run's servers: one shared server per chapter, its tests each with
    a client of their own, and the background scenarios."""

    def __init__(self, tmp_path_factory, chapters, scenarios):
        self.tmp_path_factory = tmp_path_factory
        self.shared_group = ServerGroup(tmp_path_factory)
        self.shared = {}
        for number, name in enumerate(chapters):  # the first at full speed
            self.start_shared(name, niceness=5 if number else 0)
        self.scenario_groups = []
        self.pool = ThreadPoolExecutor(max(len(scenarios), 1), thread_name_prefix="scenario")
        self.scenarios = {key: self.pool.submit(self.run_scenario, *key) for key in scenarios}

    def start_shared(self, name, niceness=0):
        """Start chapter `name`'s shared server unless one runs and nobody has signalled it."""
        server = self.shared.get(name)
        if server is None or server.log_mark is not None:
            self.shared[name] = self.shared_group.start(**SERVED[name], niceness=niceness)
        return self.shared[name]

    def chapter(self, name):
        """Chapter `name`'s shared server, once it serves."""
        return self.start_shared(name).ready()

    def take(self, name):
        """Chapter `name`'s shared server, for a test that stops it: a later test
        that asks for the chapter gets a new one."""
        return self.shared.pop(name, None) or self.shared_group.start(**SERVED[name])

    def run_scenario(self, name, chapter):
        group = ServerGroup(self.tmp_path_factory, niceness=10)
        self.scenario_groups.append(group)
        try:
            return SCENARIOS[name](group) if chapter is None else SCENARIOS[name](group, chapter)
        finally:
            group.terminate_all()

    def recorded(self, key):
        if key not in self.scenarios:  # a test the run did not foresee
            self.scenarios[key] = self.pool.submit(self.run_scenario, *key)
        return self.scenarios[key].result(timeout=SCENARIO_SECONDS)

    def stop_all(self):
        """Once the scenarios are done, stop every server and check each stop."""
        for outcome in self.scenarios.values():
            outcome.exception(timeout=SCENARIO_SECONDS)  # its own test reports a failure
        self.pool.shutdown()
        for group in self.scenario_groups:
            self.shared_group.running.extend(group.running)
        self.shared_group.stop_all()
