"""The errata patch for CherryPy's docs/tutorials.rst, and its proof.

    python .ci/errata.py write DIR   # DIR/as-printed: today's printed code; DIR/patched: the patched text's
    python .ci/errata.py check       # both through `python -m pytest --from`, against docs/errata/README.md

docs/errata/tutorials.rst.patch is a `git format-patch` mail against CherryPy's
docs/tutorials.rst, whose content is docs/tutorials-2018.rst here. `check`
runs the behaviour tests on each edition's printed code (`--from`, which leaves
out the checks against the text) and tests/test_errata.py, and fails unless
every outcome is the one README's table gives, and the patched code fails
nothing but what the table says is this repository's own requirement.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import namedtuple
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from printed import REPO, TEXT_2018, printed, write_printed  # noqa: E402 (tests/printed.py)

PATCH = REPO / "docs" / "errata" / "tutorials.rst.patch"
README = "docs/errata/README.md"
OUTCOMES_TABLE = (README, "## What the suite says of each edition")
CHANGES_TABLE = (README, "## Each change, and the test that fails without it")
CHAPTERS_TABLE = (README, "## Which chapters pass as printed")
UPSTREAM = "docs/tutorials.rst"  # where CherryPy keeps the text
EDITIONS = ("as-printed", "patched")
RUN_SECONDS = 900  # one whole --from run; a deadline, not an estimate
# Not the browser tests: the printed pages load their scripts from CDNs, which a
# closed network (CI's) cannot reach, as printed or patched alike. (`--from=DIR`,
# one word: pytest would take a separate DIR for a test path, before conftest.py
# has told it that --from takes a value.)
FROM_OPTIONS = ("-m", "not browser", "-rfEp")  # and pytest.ini's -q

Hunk = namedtuple("Hunk", "number header old where")


def hunks(patch=PATCH):
    """Each hunk of the patch: its number (1, 2, ...), its @@ line, the lines it
    expects to find (context and removed lines) and the line it changes first
    (its first removed line, or the line an addition follows)."""
    lines = patch.read_text(encoding="utf-8").splitlines()
    found, i = [], 0
    while i < len(lines):
        header = re.match(r"@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@", lines[i])
        i += 1
        if not header:
            continue
        old_left, new_left = int(header.group(1) or 1), int(header.group(2) or 1)
        old, where = [], None
        while old_left or new_left:  # the @@ counts say where the hunk ends
            sign, line = lines[i][:1], lines[i][1:]
            if sign in (" ", "-"):
                old.append(line)
                old_left -= 1
            if sign in (" ", "+"):
                new_left -= 1
            if sign != " " and where is None:
                where = line if sign == "-" else old[-1]
            i += 1
        found.append(Hunk(len(found) + 1, header.group(0), old, where))
    return found


def hunks_that_do_not_apply(text=TEXT_2018, patch=PATCH):
    """A sentence for each hunk whose lines `text` no longer holds, anywhere."""
    lines = text.read_text(encoding="utf-8").splitlines()
    missing = []
    for hunk in hunks(patch):
        n = len(hunk.old)
        if not any(lines[start:start + n] == hunk.old for start in range(len(lines) - n + 1)):
            missing.append(f"hunk {hunk.number} of {len(hunks(patch))} ({hunk.header}): "
                           f"{text.name} no longer holds the lines around {hunk.where.strip()!r}")
    return missing


class PatchDoesNotApply(AssertionError):
    pass


def patched_text(folder, text=TEXT_2018, patch=PATCH):
    """Apply the patch, with git, to a copy of `text` laid out as CherryPy's
    repository (folder/docs/tutorials.rst); return the patched file's path."""
    target = Path(folder) / UPSTREAM
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(text, target)
    for check in (["--check"], []):
        # git looks no higher than `folder`: in a repository (this one, when TMPDIR is
        # inside it, as nox sets it) it would skip the paths outside the current folder
        outside = {**os.environ, "GIT_CEILING_DIRECTORIES": str(Path(folder).resolve().parent)}
        done = subprocess.run(["git", "apply", *check, str(patch)], cwd=folder, env=outside,
                              capture_output=True, text=True, timeout=60)
        if done.returncode:
            raise PatchDoesNotApply(
                f"{patch.relative_to(REPO).as_posix()} no longer applies to "
                f"{text.relative_to(REPO).as_posix() if text.is_relative_to(REPO) else text} "
                "(a newer edition of the text?):\n" + done.stderr
                + "\n".join(hunks_that_do_not_apply(text, patch)))
    return target


def write_both(folder):
    """Today's printed code in folder/as-printed, the patched text's in folder/patched."""
    folder = Path(folder)
    write_printed(folder / "as-printed", TEXT_2018)
    write_printed(folder / "patched", patched_text(folder / "cherrypy", TEXT_2018))
    return {edition: folder / edition for edition in EDITIONS}


# Each line number the text's prose cites: the words that cite it (the numbers
# captured), the block it means (chapter, language, which of them), and what
# those lines hold, stripped of their indentation.
Citation = namedtuple("Citation", "name words chapter language which holds")
CITATIONS = [
    Citation("tut05-sessions", r"The lines (\d+)-(\d+) show you how to enable the session support",
             5, "python", -1, ["conf = {", "'/': {", "'tools.sessions.on': True", "}", "}"]),
    Citation("tut07-dispatcher", r"This is what goes on line (\d+)() where we create "
             r"a :class:`~cherrypy.dispatch.MethodDispatcher` instance", 7, "python", -1,
             ["'request.dispatch': cherrypy.dispatch.MethodDispatcher(),"]),
    Citation("tut07-406", r"Lines (\d+)-(\d+) show you how the application reacted when our "
             r"client requested the generated string as a JSON format", 7, "pycon", -1,
             [">>> r = s.get('http://127.0.0.1:8080/', headers={'Accept': 'application/json'})",
              ">>> r.status_code", "406"]),
    Citation("tut09-subscriptions", r"registered to the CherryPy's server on lines (\d+)-(\d+), "
             r"so that they are called when the server starts and stops", 9, "python", -1,
             ["cherrypy.engine.subscribe('start', setup_database)",
              "cherrypy.engine.subscribe('stop', cleanup_database)"]),
]
ANY_CITATION = re.compile(r"\b[Ll]ines? \d+")


def cited_lines(text, citation):
    """(first, last) line the text's words cite, or None if it no longer says them."""
    words = re.sub(r" ", r"\\s+", citation.words)  # the prose wraps anywhere
    found = re.search(words, text.read_text(encoding="utf-8"))
    return found and (int(found.group(1)), int(found.group(2) or found.group(1)))


def what_the_cited_lines_hold(text, citation):
    first, last = cited_lines(text, citation)
    code = printed(citation.chapter, citation.language, Path(text), citation.which)
    return [line.strip() for line in code.splitlines()[first - 1:last]]


# Reading pytest's output: `-rfEp` lists each test as PASSED, FAILED or ERROR
# (a failure in a fixture); `-rA` adds XFAIL for tests/test_errata.py's strict
# xfails. What fails after the tests, a server killed at the end of the run
# (conftest.py names it) or an error at a teardown, is the run's end.
# An id may hold spaces ("[as printed]"); a message follows " - ".
SUMMARY = re.compile(r"^(PASSED|FAILED|ERROR|XFAIL|XPASS) (.+?)(?: - .*)?$", re.MULTILINE)
TEARDOWN = re.compile(r"^_+ ERROR at teardown of (\S+) _+$", re.MULTILINE)
STOP_CHECK = "the run's end"
KILLED_AT_THE_END = "at the end of the run: killed"
WORDS = {"PASSED": "passes", "FAILED": "fails", "ERROR": "error", "XFAIL": "fails (xfail)",
         "XPASS": "passes (xpass)"}


def outcomes(output, end=STOP_CHECK):
    """{test id: "passes" | "fails" | "error" | ...} from pytest's summary; the
    run's end under the name `end`."""
    torn_down = set(TEARDOWN.findall(output))
    found = {end: "passes"} if re.search(r" in [\d.]+s", output) else {}
    if KILLED_AT_THE_END in output:
        found[end] = "error"
    for word, test in SUMMARY.findall(output):
        if word == "ERROR" and test.split("::")[-1] in torn_down:
            found[end] = "error"
        else:
            found[test] = WORDS[word]
    return found


def run_pytest(*args):
    """`python -m pytest ARGS` from the repository: its output."""
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args],
                          cwd=REPO, capture_output=True, text=True, timeout=RUN_SECONDS)
    return done.stdout + done.stderr


EDITION_IN_ID = re.compile(r"\[(?:(.*)-)?(as-printed|patched)(?:-(.*))?\]$")


def without_edition(test):
    """(the id without its edition, the edition or None): tests/test_errata.py's
    `test_x[tut05-sessions-patched]` is `test_x[tut05-sessions]` of the patched text."""
    found = EDITION_IN_ID.search(test)
    if not found:
        return test, None
    rest = "-".join(filter(None, (found.group(1), found.group(3))))
    return test[:found.start()] + (f"[{rest}]" if rest else ""), found.group(2)


def runs(folder):
    """{edition: {test: outcome}}: the behaviour tests on each edition's printed
    code, and tests/test_errata.py, which tests both editions in one run."""
    code = write_both(folder)
    found = {edition: outcomes(run_pytest(f"--from={code[edition]}", *FROM_OPTIONS))
             for edition in EDITIONS}
    errata = run_pytest("tests/test_errata.py", "-rA")
    for test, outcome in outcomes(errata, end=f"{STOP_CHECK} of test_errata.py").items():
        test, edition = without_edition(test)
        for each in [edition] if edition else EDITIONS:
            found[each][test] = outcome
    return found


def chapter_outcomes(found):
    """{edition: {chapter: "passes" | "N tests fail"}}: the behaviour tests only;
    today's chapter 11 (tut10) prints no code."""
    from chapters import TODAY, chapters_in
    summary = {}
    for edition, tests in found.items():
        failing = [test for test, outcome in tests.items() if outcome in ("fails", "error")
                   and not test.startswith("tests/test_errata.py")]
        summary[edition] = {}
        for chapter in (name for name in TODAY.values() if name != "tut10"):
            count = sum(chapter in chapters_in(test) for test in failing)
            summary[edition][chapter] = ("passes" if not count else
                                         f"{count} test{'s' * (count > 1)} fail{'s' * (count == 1)}")
    return summary


def cell(text):
    """A table cell's words, without the backquotes around a test id."""
    return text.strip("`")


def disagreements(found):
    """Each way the runs `found` disagree with README's tables, as sentences."""
    from tables import table  # tests/ is on the path here, as it is for the suite
    rows = table(*OUTCOMES_TABLE)
    said = {cell(row[0]): dict(zip(EDITIONS, row[1:3])) for row in rows}
    wrong = [f"{cell(test)}: fails patched, but README does not say it is not the text's"
             for test, _, patched, why in rows
             if patched != "passes" and not why.startswith("Not the text's: ")]
    for test in sorted(said):
        for edition in EDITIONS:
            if found[edition].get(test, "not run") != said[test][edition]:
                wrong.append(f"{test}: {edition} {found[edition].get(test, 'not run')}, "
                             f"README says {said[test][edition]}")
    for edition in EDITIONS:
        for test, outcome in found[edition].items():
            if test not in said and outcome not in ("passes", "skipped"):
                wrong.append(f"{test}: {edition} {outcome}, and README's table does not list it")
    chapters = chapter_outcomes(found)
    for chapter, *said_of_it in table(*CHAPTERS_TABLE):
        name = cell(chapter)
        for edition, outcome in zip(EDITIONS, said_of_it[1:3]):
            if chapters[edition].get(name) != outcome:
                wrong.append(f"{name}: {edition} {chapters[edition].get(name)}, "
                             f"README says {outcome}")
    for change, decision, test, *_ in table(*CHANGES_TABLE):
        test = cell(test)
        if (said.get(test, {}).get("as-printed", "").split(" ")[0] not in ("fails", "error")
                or said.get(test, {}).get("patched") != "passes"):
            wrong.append(f"{change}: its test {test} is not listed as failing as printed "
                         "and passing patched")
    return wrong


def main(args):
    if args[:1] == ["write"] and len(args) == 2:
        print("\n".join(str(path) for path in write_both(args[1]).values()))
    elif args == ["check"]:
        with tempfile.TemporaryDirectory() as folder:
            wrong = disagreements(runs(folder))
        print("\n".join(wrong) or f"every outcome is the one {README} gives")
        sys.exit(1 if wrong else 0)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
