"""How long the suite takes, and where the time goes. From the repository:

    python tests/timing.py [RUNS] [PYTEST ARGS]   # RUNS runs (3), then the medians
    python tests/timing.py --where [PYTEST ARGS]  # one run, sampled (Linux)
    python tests/timing.py --ratio [RUNS]         # the suite against the reference, in turn
    python tests/timing.py --reference            # the reference workload, once

The reference workload is the least that any suite which runs the chapters as
a reader does must do: every chapter server (tut01-tut10 and today's chapter
10) started at once, each in a folder of its own on a free port, one request
each, all stopped with SIGTERM. The machines here are shared and their speed
drifts, so `--ratio` times the suite and the reference in turn, RUNS times
each (5), and prints the median of suite / reference, pair by pair.

Each run is `python -m pytest -q -p no:cacheprovider PYTEST ARGS`. A run
prints its wall time and (POSIX) the CPU time of pytest and of every process
it started. `--where` samples /proc every 0.1 s instead: the CPU time of each
kind of process (pytest, the chapter servers, chapter 12's pytest runs) and
how busy the machine's cores were, second by second.
"""
import collections
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from printed import REPO
from servers import SERVED, ServerGroup

REFERENCE_CHAPTERS = [f"tut{number:02d}" for number in range(1, 11)] + ["react"]

PYTEST = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]


def timed_run(args):
    """(wall seconds, CPU seconds of the whole tree or None, pytest's last line)."""
    before = os.times()
    start = time.monotonic()
    run = subprocess.run(PYTEST + args, cwd=REPO, capture_output=True, text=True)
    wall = time.monotonic() - start
    after = os.times()
    cpu = None if os.name == "nt" else (after.children_user + after.children_system
                                        - before.children_user - before.children_system)
    return wall, cpu, run.stdout.strip().splitlines()[-1]


def proc_stat(pid):
    """(parent pid, CPU seconds so far) of a Linux process."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_jiffies():
    """(all, idle) CPU time of the whole machine so far, from /proc/stat."""
    numbers = [int(n) for n in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return sum(numbers), numbers[3] + numbers[4]


def kind(pid, suite):
    """What a process is, from its command line; None once it has exited."""
    words = Path(f"/proc/{pid}/cmdline").read_text().split("\0")
    if words == [""]:
        return None
    if pid == suite:
        return "pytest: the suite itself"
    if any(word.endswith("launch.py") for word in words):
        return "chapter servers"
    if any(Path(word).name == "pytest" for word in words[:2]):
        return "chapter 12's pytest runs"
    return " ".join(Path(word).name for word in words[:2])


def sampled_run(args):
    suite = subprocess.Popen(PYTEST + args, cwd=REPO, stdout=subprocess.DEVNULL)
    kinds, cpu, busy = {suite.pid: kind(suite.pid, suite.pid)}, {}, []
    start, last = time.monotonic(), machine_jiffies()
    while suite.poll() is None:
        for entry in filter(str.isdigit, os.listdir("/proc")):
            pid = int(entry)
            try:
                parent, cpu_so_far = proc_stat(pid)
                if pid in kinds or parent in kinds:  # in the suite's tree
                    # read again each time: just forked, it still shows its parent's
                    kinds[pid] = kind(pid, suite.pid) or kinds.get(pid)
            except OSError:  # it has just exited
                continue
            if pid in kinds:
                cpu[pid] = cpu_so_far
        now = machine_jiffies()
        busy.append((1 - (now[1] - last[1]) / max(now[0] - last[0], 1)) * os.cpu_count())
        last = now
        time.sleep(0.1)
    wall = time.monotonic() - start
    by_kind = collections.Counter()
    for pid, seconds in cpu.items():
        by_kind[kinds[pid]] += seconds
    for name, seconds in by_kind.most_common():
        print(f"{seconds:6.2f} s CPU  {name} ({list(kinds.values()).count(name)})")
    print(f"wall {wall:.2f} s; of {os.cpu_count()} cores, busy on average, second by second:")
    print(" ".join(f"{statistics.mean(busy[i:i + 10]):.1f}" for i in range(0, len(busy), 10)))


class Folders:
    """tmp_path_factory's mktemp, for a ServerGroup outside pytest."""

    def __init__(self, root):
        self.root, self.made = Path(root), 0

    def mktemp(self, name):
        self.made += 1
        folder = self.root / f"{name}{self.made}"
        folder.mkdir()
        return folder


def reference_workload():
    with tempfile.TemporaryDirectory() as root:
        group = ServerGroup(Folders(root))
        try:
            for name in REFERENCE_CHAPTERS:
                group.start(**SERVED[name])
            for server in group.running:
                server.ready().get("/")  # any answer: it serves
        finally:
            group.stop_all()


def reference_run():
    """Wall seconds of `python tests/timing.py --reference`."""
    start = time.monotonic()
    subprocess.run([sys.executable, __file__, "--reference"], cwd=REPO, check=True)
    return time.monotonic() - start


def ratio(runs):
    pairs = [(timed_run([])[0], reference_run()) for _ in range(runs)]
    for suite, reference in pairs:
        print(f"suite {suite:.2f} s, reference {reference:.2f} s: {suite / reference:.2f}")
    print(f"median suite {statistics.median(s for s, _ in pairs):.2f} s, "
          f"reference {statistics.median(r for _, r in pairs):.2f} s, "
          f"ratio {statistics.median(s / r for s, r in pairs):.2f}")


def main(argv):
    if argv[:1] == ["--reference"]:
        return reference_workload()
    if argv[:1] == ["--ratio"]:
        return ratio(int(argv[1]) if len(argv) > 1 else 5)
    if argv[:1] == ["--where"]:
        if not Path("/proc/stat").exists():
            sys.exit("--where reads Linux's /proc, which this system has not")
        return sampled_run(argv[1:])
    runs = int(argv.pop(0)) if argv and argv[0].isdigit() else 3
    results = [timed_run(argv) for _ in range(runs)]
    for wall, cpu, summary in results:
        print(f"wall {wall:.2f} s" + (f", CPU {cpu:.2f} s" if cpu is not None else "")
              + f"  ({summary})")
    print(f"median wall {statistics.median(r[0] for r in results):.2f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
