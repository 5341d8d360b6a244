"""What the README and docs/ tell a reader stays true and short.

- Every command they give is one CI runs, as written (.ci/quickstart, or
  .ci/debian12 for Debian's packages), or one the tests run here, or one of
  the few listed here that cannot run on CI's machine.
- README.md stays at most 1,500 words, with the quick start and the commands
  that check the chapters near its top.
- Every relative link of README.md, docs/*.md and .ci/README.md leads to a
  file, and every #anchor to a heading of that page.
- .ci/README.md's table of nox sessions is noxfile.py's.
"""
import ast
import collections
import re
import subprocess
import sys
import unicodedata

import pytest
from printed import REPO

BASH_BLOCK = re.compile(r"^```bash\n(.*?)^```$", re.M | re.S)
FENCED = re.compile(r"^```.*?^```$", re.M | re.S)
INLINE = re.compile(r"`((?:python3?|pytest|py|sudo|cd|Set-ExecutionPolicy|taskkill) "
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
    "taskkill /F /PID": "Windows",
    "sudo apt install python3-venv": "CI's Debian has it, and CI is root, with no sudo",
    "sudo apt install chromium": ".ci/run installs it as root: apt-get install chromium",
    "sudo apt install " + DEBIAN_PACKAGES: ".ci/debian12 installs them as root: apt-get install",
    "python -m playwright install chromium": "Playwright cannot download a browser here",
    "python tests/printed.py FILE": "a pattern: CI runs it with tut09.py",
}
# Run by the test below, which says what each must do.
RUN_BY_THE_TESTS = {"python tests/printed.py --help"}
PAGES = ["README.md", *sorted(path.relative_to(REPO).as_posix() for path in (REPO / "docs").glob("*.md"))]
LINKED_PAGES = [*PAGES, ".ci/README.md"]
MOST_WORDS = 1500
QUICK_START_BY_LINE = 20
CHECKS_BY_LINE = 40
CHECKS = ["python -m pytest", "python -m pytest --chapter 5",
          "python -m pytest --chapter 5 --from=~/my-tutorial",
          "python tests/printed.py tut05.py", "git diff --no-index -w tut04.py tut05.py"]


def text(page):
    return (REPO / page).read_text(encoding="utf-8")


def readme():
    """README.md and the pages of docs/, one text: the commands they give a reader."""
    return "\n".join(text(page) for page in PAGES)


def block_commands():
    return [line.strip() for block in BASH_BLOCK.findall(readme())
            for line in block.splitlines() if line.strip()]


def ci_runs(command):
    lines = [line for script in ("quickstart", "debian12")
             for line in text(f".ci/{script}").splitlines()]
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
    assert (ci_runs(command) or CHAPTER.match(command) or command in NOT_RUN_HERE
            or command in RUN_BY_THE_TESTS)


def test_each_command_listed_here_is_in_the_readme():
    assert set(NOT_RUN_HERE) | RUN_BY_THE_TESTS <= set(INLINE.findall(readme()))


def test_printed_help_prints_its_usage_and_exits_0():
    done = subprocess.run([sys.executable, "tests/printed.py", "--help"], cwd=REPO,
                          capture_output=True, text=True, timeout=30)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith("The code the tutorial texts print")
    assert "python tests/printed.py tut05.py" in done.stdout


def test_ci_installs_the_debian_packages_the_readme_names():
    assert f'packages="{DEBIAN_PACKAGES}"' in text(".ci/debian12")


# README.md: short, and what a reader needs first near the top.

@pytest.mark.parametrize("page", ["README.md", "tests/README.md"])
def test_the_page_holds_at_most_1500_words(page):
    assert len(text(page).split()) <= MOST_WORDS  # words as `wc -w` counts them


def test_the_readme_runs_chapter_1_within_its_first_20_lines():
    lines = [line.strip() for line in text("README.md").splitlines()]
    assert "python tut01.py" in lines[:QUICK_START_BY_LINE]


def test_the_readme_gives_the_checks_within_its_first_40_lines():
    lines = [line.strip() for line in text("README.md").splitlines()]
    assert [check for check in CHECKS if check not in lines[:CHECKS_BY_LINE]] == []


# Links: GitHub's anchors are the headings' slugs.

LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
HEADING = re.compile(r"^#{1,6} +(.+?) *#*$")


def outside_code(page_text):
    return FENCED.sub("", page_text)


def slug(heading):
    """GitHub's anchor for a heading: lowercase; letters, digits, '_', '-' and
    spaces kept, other punctuation dropped; spaces made '-'."""
    kept = "".join(char for char in heading.lower()
                   if unicodedata.category(char)[0] in "LMN"
                   or unicodedata.category(char) == "Pc" or char in " -")
    return kept.replace(" ", "-")


def anchors(page_text):
    """Every #anchor of a page, a repeated heading's with GitHub's -1, -2, ..."""
    seen, found = collections.Counter(), set()
    for line in outside_code(page_text).splitlines():
        heading = HEADING.match(line)
        if heading:
            name = slug(heading.group(1))
            found.add(name if not seen[name] else f"{name}-{seen[name]}")
            seen[name] += 1
    return found


def test_slugs_are_githubs():
    assert slug("2014's chapter 10, today's 11: the tills, the discount and the crew") == (
        "2014s-chapter-10-todays-11-the-tills-the-discount-and-the-crew")
    assert slug("What happens when…") == "what-happens-when"
    assert slug("The tested set: constraints.txt") == "the-tested-set-constraintstxt"
    assert slug("snake_case and – dash") == "snake_case-and--dash"
    assert anchors("# A\n## A\n```bash\n# not a heading\n```\n## A\n") == {"a", "a-1", "a-2"}


def broken_links(page, read=text):
    """The relative links of `page` that lead to no file, or to no heading of it."""
    broken = []
    for target in LINK.findall(outside_code(read(page))):
        if re.match(r"[a-z]+:", target):  # http:, https:, mailto:
            continue
        path, _, anchor = target.partition("#")
        linked = ((REPO / page).parent / path).resolve().relative_to(REPO).as_posix() if path else page
        if path and not (REPO / linked).is_file():
            broken.append(f"{target}: no such file")
        elif anchor and (not linked.endswith(".md") or anchor not in anchors(read(linked))):
            broken.append(f"{target}: no such heading")
    return broken


@pytest.mark.parametrize("page", LINKED_PAGES)
def test_every_relative_link_leads_to_a_file_and_a_heading(page):
    assert broken_links(page) == []


def test_a_broken_link_is_found():
    probe = ("# A heading\n[a](#a-heading) [b](#no-heading) [c](nowhere.md)\n"
             "![d](../README.md#quick-start) [e](../README.md#no-such) [f](tutorials.rst#x)\n")
    def read(page):
        return probe if page == "docs/probe.md" else text(page)
    assert broken_links("docs/probe.md", read) == [
        "#no-heading: no such heading", "nowhere.md: no such file",
        "../README.md#no-such: no such heading", "tutorials.rst#x: no such heading"]


# .ci/README.md's nox sessions: noxfile.py's.

def nox_sessions():
    """({session: [Python, ...]}, SIMULATED_ON, the sessions run by default),
    read from noxfile.py."""
    module = ast.parse(text("noxfile.py"))
    names = {ast.unparse(target): ast.literal_eval(node.value) for node in module.body
             if isinstance(node, ast.Assign) for target in node.targets
             if isinstance(node.value, ast.List)}
    sessions = {}
    for node in module.body:
        for decorator in getattr(node, "decorator_list", []):
            if isinstance(decorator, ast.Call) and ast.unparse(decorator.func) == "nox.session":
                python, = (keyword.value for keyword in decorator.keywords if keyword.arg == "python")
                sessions[node.name] = (names[python.id] if isinstance(python, ast.Name)
                                       else ast.literal_eval(python))
    return sessions, names["SIMULATED_ON"], names["nox.options.sessions"]


def ci_readme_sessions():
    """({session: [Python, ...]}, [the sessions CI runs]) from .ci/README.md's table."""
    rows = [line.strip("|").split(" | ") for line in text(".ci/README.md").splitlines()
            if re.match(r"\| `\w+` \| ", line)]
    return ({row[0].strip().strip("`"): row[1].strip().split(", ") for row in rows},
            [row[0].strip().strip("`") for row in rows if not row[2].startswith("Not run by CI")])


def test_the_ci_readme_names_each_nox_session_and_its_pythons():
    sessions, simulated_on, run_by_ci = nox_sessions()
    assert ci_readme_sessions() == (sessions, run_by_ci)
    assert (f"On the Pythons `noxfile.py` names in `SIMULATED_ON` ({', '.join(simulated_on)})"
            in text(".ci/README.md"))


def test_the_readme_names_the_pythons_ci_runs():
    sessions, _, _ = nox_sessions()
    assert f"You need Python {sessions['tests'][0]} to {sessions['tests'][-1]}." in text("README.md")
