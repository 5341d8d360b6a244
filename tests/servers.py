"""The chapter servers: each chapter run as a reader runs it, `python tutNN.py`, in a
folder of its own, through launch.py (which only picks a free port). A test waits for
its own server only: a chapter that does not start fails its own tests (DoesNotStart)."""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from clients import Client
from launch import READY

REPO = Path(__file__).resolve().parent.parent
SERVING = re.compile(r"ENGINE Serving on (http://127\.0\.0\.1:\d+)")
BOOT_SECONDS, STOP_SECONDS = 30, 15
WINDOWS = os.name == "nt"
KILLED = 1 if WINDOWS else -signal.SIGKILL  # the exit code of a killed server
needs_a_clean_stop = pytest.mark.skipif(WINDOWS, reason="no SIGTERM or SIGINT to send on Windows")

# Each chapter a test can name (react, tut12: today's 10 and 12): the script a reader
# runs, and the folder whose index.html and public/ it serves (here, or --from's).
CHAPTERS = {**{f"tut{n:02d}": (f"tut{n:02d}.py", ".") for n in range(1, 11)},
            "react": ("tut09.py", "2018-ch10-react"), "tut12": ("2018-ch12-pytest/tut12.py", ".")}

# Added to a server folder's copies, so that a test can tell them from the originals.
FOLDER_MARK = {"index.html": "<!-- the copy in the folder the server was started in -->\n",
               "public/css/style.css": "/* the copy in the folder the server was started in */\n"}


def wait_for(condition, seconds, what):
    """Poll `condition` until it returns something truthy; fail after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.02)
    raise TimeoutError(f"{what}: not within {seconds} s")


class DoesNotStart(pytest.fail.Exception):
    """A chapter that does not serve: pytest shows the message alone, no traceback."""

    def __init__(self, headline, log_lines):
        super().__init__("\n".join([headline, *log_lines]), pytrace=False)
        self.headline = headline


class Server:
    """One chapter script running as its own process, in its own folder."""

    def __init__(self, name, folder, root=REPO, app_config=None):
        script, site = CHAPTERS[name]
        self.name, self.folder, self.app_config = name, Path(folder), app_config
        self.script = Path(root) / script
        # the page and public/ of `root` where it has them, else the repository's
        self.site = {part: next(base / site / part for base in (Path(root), REPO)
                                if (base / site / part).exists() or base == REPO)
                     for part in ("index.html", "public")}
        self.process = self.url = self.log_mark = None

    def start(self):
        if not (self.folder / "public").exists():
            self.folder.mkdir(parents=True, exist_ok=True)
            shutil.copytree(self.site["public"], self.folder / "public")
            shutil.copy(self.site["index.html"], self.folder / "index.html")
            for path, mark in FOLDER_MARK.items():
                with open(self.folder / path, "ab") as copy:  # b: "\n" on every OS
                    copy.write(mark.encode("utf-8"))
        self.log_path = self.folder / "server.log"
        self.log_offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        command = [sys.executable, str(Path(__file__).with_name("launch.py")), str(self.script)]
        if self.app_config:
            command.append(json.dumps(self.app_config))
        with open(self.log_path, "ab") as log:  # stdin: launch.py stops when it closes
            self.process = subprocess.Popen(command, cwd=self.folder, stdout=log,
                                            stderr=subprocess.STDOUT, stdin=subprocess.PIPE)
        return self

    def log(self):  # what this run of the server has written so far
        with open(self.log_path, encoding="utf-8", errors="replace") as log:
            log.seek(self.log_offset)
            return log.read()

    def ready(self):
        """The server, once it serves and waits for signals (READY); else DoesNotStart."""
        def serving():
            log = self.log()
            return READY in log and SERVING.search(log) or self.process.poll() is not None

        if not self.url:
            try:
                found = wait_for(serving, BOOT_SECONDS, "serving")
            except TimeoutError:
                found = None
            if not isinstance(found, re.Match):
                raise self.does_not_start()
            self.url = found.group(1)
        return self

    def does_not_start(self):
        """DoesNotStart, naming the file, the error and its line, then the log's end."""
        log, script = self.log(), self.script.name
        lines = log.splitlines()
        error = next((line for line in reversed(lines) if line.strip()), "it printed nothing")
        frame = re.compile(rf'  File ".*[/\\]{re.escape(script)}", line (\d+)')
        own = [n for n, line in enumerate(lines) if frame.match(line)]
        where = ""
        if own:  # the chapter's own frame in the first traceback through it, and its error
            where = f" (line {frame.match(lines[own[0]]).group(1)})"
            error = next((line for line in lines[own[0]:] if line and not line[0].isspace()), error)
        if self.process.poll() is None:
            error = f"it did not serve within {BOOT_SECONDS} s"
        tail = lines[own[0]:own[0] + 10] if own else lines[-10:]
        self.kill()  # if it still runs; and its stdin closed
        return DoesNotStart(f"{script} does not start: {error}{where}",
                            [f"The end of its log, {self.log_path}:", *tail])

    def request(self, method, path, **kwargs):  # a one-off request, with no session
        with Client(self.url) as client:
            return client.request(method, path, **kwargs)

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def send(self, signum):  # Windows: kill; `exit_code()` waits for the end
        self.log_mark = len(self.log())
        if WINDOWS:
            self.process.kill()
        else:
            self.process.send_signal(signum)
        return self

    def exit_code(self, seconds=STOP_SECONDS):
        """The exit code, or a sentence saying the server overstayed and was killed."""
        try:
            return self.process.wait(seconds)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(STOP_SECONDS)
            return f"nothing: still running {seconds} s after the signal, so killed"
        finally:
            self.process.stdin.close()

    def kill(self):  # a crash: no chance to clean up
        self.log_mark = len(self.log())
        self.process.kill()
        return self.exit_code()


class Pool:
    """The run's servers: one shared server per chapter, and every server started."""

    def __init__(self, folders, root=REPO):
        self.folders, self.root = folders, root  # folders: pytest's tmp_path_factory
        self.shared, self.started, self.spares = {}, [], []

    def start(self, name, folder=None, app_config=None, spare=False):
        """Start a new server of chapter `name` without waiting for it, or take a
        spare started for it earlier. A spare waits for a later `start`."""
        match = [s for s in self.spares if (s.name, s.app_config, folder) == (name, app_config, None)]
        if match and not spare:
            self.spares.remove(match[0])
            return match[0]
        server = Server(name, folder or self.folders.mktemp(name), self.root, app_config)
        self.started.append(server.start())
        if spare:
            self.spares.append(server)
        return server

    def shared_server(self, name):
        """Chapter `name`'s shared server, once it serves (started if none runs)."""
        if name not in self.shared:
            self.shared[name] = self.start(name)
        return self.shared[name].ready()

    def take(self, name):
        """Chapter `name`'s shared server, for a test that stops it: the next test gets a new one."""
        return self.shared.pop(name, None) or self.start(name)

    def stop_all(self, servers=None, seconds=STOP_SECONDS):
        """SIGTERM every server still running (of `servers`, else of all), all at once;
        kill those that overstay. Returns a line for each one that had to be killed."""
        running = [server for server in (self.started if servers is None else servers)
                   if server.process.poll() is None]
        for server in running:
            server.send(signal.SIGTERM)
        killed = [f"{server.script.name} in {server.folder} was still running {seconds} s "
                  f"after SIGTERM at the end of the run: killed"
                  for server in running if isinstance(server.exit_code(seconds), str)]
        for server in self.started if servers is None else servers:
            server.process.stdin.close()  # those that stopped before
        return killed
