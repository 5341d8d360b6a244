"""Every command the README gives a reader is one CI runs, as written
(.ci/quickstart, or .ci/debian12 for Debian's packages),
or the tests run, or one of the few listed here that cannot run on CI's machine."""
import re

import pytest
from printed import REPO

BASH_BLOCK = re.compile(r"^```bash\n(.*?)^```$", re.M | re.S)
INLINE = re.compile(r"`((?:python3?|pytest|py|sudo|cd|Set-ExecutionPolicy|Measure-Command|taskkill) "
                    r"[^`]*|venv\\[^`]*)`")
CHAPTER = re.compile(r"^python (?:tut\d\d|\.\./tut09)\.py$")  # also booted by the tests
DEBIAN_PACKAGES = ("python3-cherrypy3 python3-requests python3-pytest python3-pytest-cov "
                   "python3-filelock")
NOT_RUN_HERE = {
    "py -m venv venv": "Windows",
    "py -3.13 -m venv venv": "Windows",
    "venv\\Scripts\\activate": "Windows",
    "venv\\Scripts\\Activate.ps1": "Windows",
    "Set-ExecutionPolicy -ExecutionPolicy RemoteSigned -Scope CurrentUser": "Windows",
    "Measure-Command { python -m pytest }": "Windows",
    "taskkill /F /PID": "Windows",
    "sudo apt install python3-venv": "CI's Debian has it, and CI is root, with no sudo",
    "sudo apt install chromium": ".ci/run installs it as root: apt-get install chromium",
    "sudo apt install " + DEBIAN_PACKAGES: ".ci/debian12 installs them as root: apt-get install",
    "python -m playwright install chromium": "Playwright cannot download a browser here",
    "python tests/printed.py FILE": "a pattern: CI runs it with tut09.py",
}


PAGES = ["README.md", *sorted(path.relative_to(REPO).as_posix() for path in (REPO / "docs").glob("*.md"))]


def readme():
    """README.md and the pages of docs/, one text: the commands they give a reader."""
    return "\n".join((REPO / page).read_text(encoding="utf-8") for page in PAGES)


def block_commands():
    return [line.strip() for block in BASH_BLOCK.findall(readme())
            for line in block.splitlines() if line.strip()]


def ci_runs(command):
    lines = [line for script in ("quickstart", "debian12")
             for line in (REPO / ".ci" / script).read_text(encoding="utf-8").splitlines()]
    return any(command in line and not line.lstrip().startswith("#") for line in lines)


def test_the_readme_gives_the_quick_start_first():
    assert block_commands()[:4] == ["python3 -m venv venv", ". venv/bin/activate",
                                    "python -m pip install -r requirements.txt",
                                    "python tut01.py"]


@pytest.mark.parametrize("command", block_commands())
def test_ci_runs_each_command_of_the_readmes_bash_blocks(command):
    assert ci_runs(command)


@pytest.mark.parametrize("command", sorted(set(INLINE.findall(readme()))))
def test_each_command_in_the_readmes_text_is_run_or_says_why_not(command):
    assert ci_runs(command) or CHAPTER.match(command) or command in NOT_RUN_HERE


def test_each_command_listed_as_not_run_here_is_in_the_readme():
    assert set(NOT_RUN_HERE) <= set(INLINE.findall(readme()))


def test_ci_installs_the_debian_packages_the_readme_names():
    assert f'packages="{DEBIAN_PACKAGES}"' in (REPO / ".ci" / "debian12").read_text(encoding="utf-8")
