"""How long the suite takes, against a reference workload. From the repository:

    python tests/timing.py [RUNS] [PYTEST ARGS]   # RUNS runs (3): wall and CPU time, medians
    python tests/timing.py --ratio [RUNS] [PYTEST ARGS]  # the suite and the reference in turn
    python tests/timing.py --reference            # the reference workload, once

The reference workload is the least that any suite which runs the chapters as
a reader does must do: every chapter server (tut01-tut10 and today's chapter
10) started at once, each in a folder of its own on a free port, one request
each, all stopped with SIGTERM. The machines here are shared and their speed
drifts, so `--ratio` times the suite and the reference in turn, RUNS times
each (5), and prints the median of suite / reference, pair by pair.
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time

from servers import CHAPTERS, REPO, Pool

PYTEST = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]


def timed(command):
    """(wall seconds, CPU seconds of the whole tree or None on Windows, last line printed)."""
    before, start = os.times(), time.monotonic()
    run = subprocess.run(command, cwd=REPO, capture_output=True, text=True)
    wall, after = time.monotonic() - start, os.times()
    cpu = None if os.name == "nt" else (after.children_user + after.children_system
                                        - before.children_user - before.children_system)
    return wall, cpu, (run.stdout.strip().splitlines() or [""])[-1]


class Folders:
    """pytest's tmp_path_factory.mktemp, outside pytest."""

    def __init__(self, root):
        self.root, self.made = root, 0

    def mktemp(self, name):
        self.made += 1
        return os.path.join(self.root, f"{name}{self.made}")


def reference_workload():
    with tempfile.TemporaryDirectory() as root:
        pool = Pool(Folders(root))
        try:
            for name in CHAPTERS:
                if name != "tut12":
                    pool.start(name)
            for server in pool.started:
                server.ready().get("/")  # any answer: it serves
        finally:
            pool.stop_all()


def main(args):
    if args[:1] == ["--reference"]:
        return reference_workload()
    ratio = args[:1] == ["--ratio"]
    args = args[1:] if ratio else args
    runs = int(args.pop(0)) if args and args[0].isdigit() else (5 if ratio else 3)
    results = []
    for _ in range(runs):
        results.append(timed(PYTEST + args))
        wall, cpu, summary = results[-1]
        reference = timed([sys.executable, __file__, "--reference"])[0] if ratio else None
        print(f"wall {wall:.2f} s" + (f", CPU {cpu:.2f} s" if cpu is not None else "")
              + (f", reference {reference:.2f} s: {wall / reference:.2f}" if ratio else "")
              + f"  ({summary})", flush=True)
        results[-1] += (reference,)
    print(f"median wall {statistics.median(r[0] for r in results):.2f} s"
          + (f", reference {statistics.median(r[3] for r in results):.2f} s, ratio "
             f"{statistics.median(r[0] / r[3] for r in results):.2f}" if ratio else ""))


if __name__ == "__main__":
    main(sys.argv[1:])
