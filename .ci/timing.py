"""How long the suite takes, against a reference workload. From the repository:

    python .ci/timing.py [RUNS] [PYTEST ARGS]          # RUNS runs (3), their median
    python .ci/timing.py --ratio [RUNS] [PYTEST ARGS]  # the suite and the reference in turn
    python .ci/timing.py --reference                   # the reference workload, once

The reference workload: every chapter server (tut01-tut10, react) started at once,
one request each, all stopped with SIGTERM. `--ratio` times the suite and the
reference in turn (the machines here are shared), and prints the median ratio.
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from servers import CHAPTERS, REPO, Pool  # noqa: E402 (tests/servers.py)


def timed(command):
    """(wall seconds, CPU seconds of its whole process tree (POSIX), its last line)."""
    before, start = os.times(), time.monotonic()
    run = subprocess.run(command, cwd=REPO, capture_output=True, text=True)
    wall, after = time.monotonic() - start, os.times()
    cpu = sum(after[2:4]) - sum(before[2:4])  # children's user and system time
    return wall, cpu, (run.stdout.strip().splitlines() or [""])[-1]


def reference_workload():
    with tempfile.TemporaryDirectory() as root:
        pool = Pool(SimpleNamespace(mktemp=lambda name: tempfile.mkdtemp(prefix=name, dir=root)))
        try:
            for name in set(CHAPTERS) - {"tut12"}:
                pool.start(name)
            for server in pool.started:
                server.ready().get("/")  # any answer: it serves
        finally:
            pool.stop_all()


def main(args):
    if args[:1] == ["--reference"]:
        return reference_workload()
    ratio = args[:1] == ["--ratio"]
    args = args[ratio:]
    runs = int(args.pop(0)) if args and args[0].isdigit() else (5 if ratio else 3)
    walls, ratios = [], []
    for _ in range(runs):
        wall, cpu, summary = timed([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args])
        walls.append(wall)
        line = f"wall {wall:.2f} s, CPU {cpu:.2f} s  ({summary})"
        if ratio:
            ratios.append(wall / timed([sys.executable, __file__, "--reference"])[0])
            line += f", suite / reference {ratios[-1]:.2f}"
        print(line, flush=True)
    print(f"median wall {statistics.median(walls):.2f} s"
          + (f", median ratio {statistics.median(ratios):.2f}" if ratio else ""))


if __name__ == "__main__":
    main(sys.argv[1:])
