"""The versions the suite is known to pass with: the ranges of requirements*.txt
and the exact set of constraints.txt.

    python .ci/versions.py        # which installed packages differ from the tested set
    python .ci/versions.py pin    # (nox -s pin) this Python's lines := what is installed

noxfile.py also takes from here the lowest versions the requirements admit.
Needs `packaging`, which comes with pytest (and with nox).
"""
import subprocess
import sys
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parent.parent
REQUIREMENTS = REPO / "requirements-browser.txt"  # includes requirements.txt
CONSTRAINTS = REPO / "constraints.txt"
PYTHONS_LINE = "# Tested on Python "
HEADER = """\
# The tested set: every package installed in the last green run of the suite
# (python -m pytest -W error) on each Python below, at its exact version.
# Made and refreshed by `python -m nox -s pin`; tests/test_versions.py checks
# it against requirements*.txt. Install it, if a run fails after an upgrade:
#     python -m pip install -r requirements.txt -c constraints.txt
"""


def environment(python):
    """The marker environment of `python` ("3.9"), as far as our markers look."""
    return {"python_version": python, "python_full_version": python + ".0"}


def requirements(path=REQUIREMENTS):
    """The Requirements of a requirements file, following its `-r` lines."""
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split(" #")[0].strip()
        if line.startswith("-r "):
            found += requirements(path.parent / line[3:].strip())
        elif line and not line.startswith("#"):
            found.append(Requirement(line))
    return found


def applying(python, path=REQUIREMENTS):
    """The requirements whose marker holds on `python`."""
    return [requirement for requirement in requirements(path)
            if requirement.marker is None or requirement.marker.evaluate(environment(python))]


def lowest_pins(python):
    """`name==version` for each requirement on `python`, at its `>=` bound:
    the lowest versions the files admit (pip's -c, for nox -s lowest)."""
    pins = []
    for requirement in applying(python):
        bounds = [spec.version for spec in requirement.specifier if spec.operator == ">="]
        if len(bounds) != 1:
            raise ValueError(f"{requirement}: no single >= bound to test")
        pins.append(f"{requirement.name}=={bounds[0]}")
    return pins


def read_constraints(path=CONSTRAINTS):
    """{python: {canonical name: version}}, each Python the file was pinned on."""
    lines = path.read_text(encoding="utf-8").splitlines()
    pythons = [line[len(PYTHONS_LINE):].split(", ") for line in lines
               if line.startswith(PYTHONS_LINE)][0]
    pins = {python: {} for python in pythons}
    for line in lines:
        if not line.strip() or line.startswith("#"):
            continue
        pin = Requirement(line)
        (spec,) = pin.specifier
        assert spec.operator == "==", line
        for python in pythons:
            if pin.marker is None or pin.marker.evaluate(environment(python)):
                name = canonicalize_name(pin.name)
                assert name not in pins[python], f"{name} pinned twice for {python}"
                pins[python][name] = spec.version
    return pins


def by_version(python):
    return tuple(int(part) for part in python.split("."))


def write_constraints(pins, path=CONSTRAINTS):
    """Write {python: {name: version}}: a line without a marker for a version
    all the Pythons share, else one line per version, marked with its Pythons."""
    pythons = sorted(pins, key=by_version)
    lines = []
    for name in sorted({name for pinned in pins.values() for name in pinned}):
        versions = {}
        for python in pythons:
            if name in pins[python]:
                versions.setdefault(pins[python][name], []).append(python)
        for version, where in versions.items():
            marker = " or ".join(f'python_version == "{python}"' for python in where)
            lines.append(f"{name}=={version}" if where == pythons else f"{name}=={version}; {marker}")
    path.write_text(HEADER + PYTHONS_LINE + ", ".join(pythons) + "\n" + "\n".join(lines) + "\n",
                    encoding="utf-8")


def installed():
    """{canonical name: version} of what this Python has installed (pip's view)."""
    frozen = subprocess.run([sys.executable, "-m", "pip", "freeze"], check=True,
                            capture_output=True, text=True).stdout
    return {canonicalize_name(name): version for name, version in
            (line.split("==") for line in frozen.splitlines() if "==" in line)}


def this_python():
    return "{}.{}".format(*sys.version_info)


def pin():
    """This Python's lines of constraints.txt become what is installed here."""
    pins = read_constraints() if CONSTRAINTS.exists() else {}
    pins[this_python()] = installed()
    write_constraints(pins)


def differences():
    """Lines saying how what is installed differs from the tested set of this Python."""
    pins = read_constraints()
    python = this_python()
    if python not in pins:
        return [f"constraints.txt has no tested set for Python {python} "
                f"(only {', '.join(pins)})"]
    tested, here = pins[python], installed()
    return ([f"{name}: {here[name]} installed, {tested[name]} tested"
             for name in sorted(tested) if name in here and here[name] != tested[name]]
            + [f"{name}: {here[name]} installed, not in the tested set"
               for name in sorted(here) if name not in tested])


if __name__ == "__main__":
    if sys.argv[1:] == ["pin"]:
        pin()
    else:
        found = differences()
        print("\n".join(found) or f"Every package installed here is at the version tested "
                                  f"on Python {this_python()} (constraints.txt).")
