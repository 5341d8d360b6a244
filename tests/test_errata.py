"""The errata patch (docs/errata/tutorials.rst.patch) applies, and each change it
makes to the text is right: tested on both editions, today's text as printed
and the patched text.

A test of a change the patch makes fails as printed with `Erratum`, and only
with it (a strict xfail), and passes patched. The changes to chapter 9's code
are proven by the behaviour tests themselves, run on each edition's code by
`python .ci/errata.py check` (docs/errata/README.md).
"""
import re
import signal
import subprocess
import sys
from urllib.parse import urlsplit

import pytest
from clients import Client
from errata import (
    ANY_CITATION,
    CITATIONS,
    EDITIONS,
    PATCH,
    PatchDoesNotApply,
    cited_lines,
    hunks,
    patched_text,
    what_the_cited_lines_hold,
    write_both,
)
from printed import REPO, TEXT_2018
from servers import BOOT_SECONDS, Pool, needs_a_clean_stop
from stored import table_names


class Erratum(AssertionError):
    """What a change of the patch fixes: the one failure expected as printed."""


def fixed(condition, what):
    if not condition:
        raise Erratum(what)


def as_printed_fails(reason):
    return pytest.param("as-printed", marks=pytest.mark.xfail(strict=True, raises=Erratum,
                                                              reason=reason))


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    """{edition: (its text, the folder of its printed code)}."""
    folder = tmp_path_factory.mktemp("errata")
    code = write_both(folder)
    texts = {"as-printed": TEXT_2018, "patched": folder / "cherrypy" / "docs" / "tutorials.rst"}
    return {name: (texts[name], code[name]) for name in EDITIONS}


def test_the_patch_applies_to_todays_text(tmp_path):
    assert patched_text(tmp_path).read_text(encoding="utf-8") != TEXT_2018.read_text(
        encoding="utf-8")


def test_a_text_the_patch_no_longer_fits_is_named_with_the_hunk_that_fails(tmp_path):
    newer = tmp_path / "newer.rst"  # chapter 7's sentence reworded by a newer edition
    newer.write_text(TEXT_2018.read_text(encoding="utf-8").replace(
        "This is what goes on line 27", "This is what line 27 does"), encoding="utf-8")
    with pytest.raises(PatchDoesNotApply) as failure:
        patched_text(tmp_path / "cherrypy", newer)
    assert f"hunk 2 of {len(hunks())} (@@ -494,7 +494,7 @@)" in str(failure.value)
    assert "'shenanigan. This is what goes on line 27 where we create'" in str(failure.value)


def test_the_patch_is_a_mail_that_git_am_applies_to_a_cherrypy_checkout(tmp_path):
    def git(*args):
        return subprocess.run(["git", "-c", "user.name=reader", "-c", "user.email=reader@example.org",
                               *args], cwd=tmp_path, check=True, capture_output=True, text=True,
                              timeout=60).stdout
    git("init", "-q")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "tutorials.rst").write_bytes(TEXT_2018.read_bytes())
    git("add", "docs/tutorials.rst")
    git("commit", "-q", "-m", "CherryPy's docs/tutorials.rst, as of 2018-09-09")
    git("am", "-q", str(PATCH))
    subject = PATCH.read_text(encoding="utf-8").split("Subject: [PATCH] ")[1].split("\n\n")[0]
    assert git("log", "-1", "--format=%s") == " ".join(subject.split()) + "\n"


CITED_WRONGLY = {  # the citations the patch renumbers
    "tut05-sessions": "today's text cites lines 30-34: a blank line, `if __name__ ...`, "
                      "and the conf dict's first three lines",
    "tut07-dispatcher": "today's text cites line 27, which holds `conf = {`",
}


@pytest.mark.parametrize("name, text", [
    pytest.param(citation.name, text, marks=marks) for citation in CITATIONS
    for text, marks in (("as-printed", as_printed_fails(CITED_WRONGLY[citation.name]).marks
                         if citation.name in CITED_WRONGLY else ()), ("patched", ()))])
def test_each_line_the_text_cites_holds_what_its_prose_says(edition, name, text):
    citation = next(citation for citation in CITATIONS if citation.name == name)
    text_path, _ = edition[text]
    assert cited_lines(text_path, citation), f"the text no longer says {citation.words!r}"
    fixed(what_the_cited_lines_hold(text_path, citation) == citation.holds,
          f"{name}: lines {cited_lines(text_path, citation)} hold "
          f"{what_the_cited_lines_hold(text_path, citation)}")


@pytest.mark.parametrize("text", EDITIONS)
def test_the_citations_checked_here_are_every_one_the_text_makes(edition, text):
    text_path, _ = edition[text]
    prose = "\n".join(line for line in text_path.read_text(encoding="utf-8").splitlines()
                      if not line.startswith(" "))  # code blocks are indented
    assert len(ANY_CITATION.findall(prose)) == len(CITATIONS)
    assert all(cited_lines(text_path, citation) for citation in CITATIONS)


SCRIPT = re.compile(r'<script[^>]* src="([^"]+)"')
JQUERY = re.compile(r"https://code\.jquery\.com/jquery-(\d+)\.(\d+)\.(\d+)\.min\.js")
PAGES = ["index.html", "2018-ch10-react/index.html"]  # chapters 8 and 10 (a fixture is `page`)


@pytest.mark.parametrize("html", PAGES)
@pytest.mark.parametrize("text", [as_printed_fails("jQuery 2.0.3 and 2.1.1, over http"),
                                  "patched"])
def test_the_pages_load_jquery_3_5_or_later_and_nothing_over_plain_http(edition, text, html):
    """jQuery before 3.5.0 has published XSS advisories (CVE-2020-11022, -11023)."""
    sources = SCRIPT.findall((edition[text][1] / html).read_text(encoding="utf-8"))
    jquery = [source for source in sources if "jquery" in source]
    assert len(jquery) == 1, sources
    fixed(not [source for source in sources if source.startswith("http:")], sources)
    version = JQUERY.fullmatch(jquery[0])
    fixed(version and tuple(map(int, version.groups())) >= (3, 5, 0), jquery[0])


@pytest.mark.parametrize("html", PAGES)
def test_the_patched_pages_are_the_pages_the_browser_tests_click_but_where_scripts_come_from(
        edition, html):
    """So the browser tests of this repository's pages prove the patched pages work:
    each differs only in where a script is loaded from, of the same version."""
    patched = (edition["patched"][1] / html).read_text(encoding="utf-8").splitlines()
    here = (REPO / html).read_text(encoding="utf-8").splitlines()
    assert len(patched) == len(here)
    differ = [(a, b) for a, b in zip(patched, here) if a.replace(" ", "") != b.replace(" ", "")]
    assert differ
    for printed_line, line_here in differ:
        (source,), (served,) = SCRIPT.findall(printed_line), SCRIPT.findall(line_here)
        assert served.startswith("/static/js/")
        version = re.compile(r"\d+\.\d+\.\d+")
        assert version.findall(source) == version.findall(served), (source, served)


# Starts chapter 9 as `python tut09.py` does, on the port a first copy holds.
SECOND_COPY = ("import runpy, sys, cherrypy; "
               "cherrypy.config.update({'server.socket_port': int(sys.argv[2])}); "
               "runpy.run_path(sys.argv[1], run_name='__main__')")


@pytest.fixture(scope="module")
def tut09_second_copy(edition, tmp_path_factory):
    """{edition: what happens when a second copy of its tut09.py starts in the
    folder of a first one that holds a string: (the second copy's exit code and
    log, the tables then, the first copy's GET, its exit code and log after SIGTERM)}."""
    pools = {name: Pool(tmp_path_factory, root=code) for name, (_, code) in edition.items()}
    firsts = {name: pool.start("tut09") for name, pool in pools.items()}  # both at once
    readers, seconds, happened = {}, {}, {}
    try:
        for name, first in firsts.items():
            readers[name] = Client(first.ready().url)
            readers[name].post("/generator")
            seconds[name] = subprocess.Popen(
                [sys.executable, "-c", SECOND_COPY, str(edition[name][1] / "tut09.py"),
                 str(urlsplit(first.url).port)], cwd=first.folder, stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT, text=True)
        for name, first in firsts.items():
            output = seconds[name].communicate(timeout=BOOT_SECONDS)[0]
            tables, got = table_names(first.folder), readers[name].get("/generator")
            code = first.send(signal.SIGTERM).exit_code()
            happened[name] = (seconds[name].returncode, output, tables, got,
                              code, first.log()[first.log_mark:])
    finally:
        for reader in readers.values():
            reader.close()
        for pool in pools.values():
            pool.stop_all()
    return happened


WARNING = ("a second copy started from the same directory could not listen on port 8080 "
           "and, as it stops right away, would destroy the table the first copy still uses")


@pytest.mark.parametrize("text", [as_printed_fails("today's text does not warn"), "patched"])
def test_tut09_second_copy_cannot_listen_and_drops_the_first_copys_table_as_the_text_warns(
        edition, tut09_second_copy, text):
    code, log, tables, got, _, _ = tut09_second_copy[text]
    assert code == 70 and re.search(r"Port \d+ not free", log), log
    assert tables == []
    assert got.status_code == 500 and "no such table: user_string" in got.text
    prose = " ".join(edition[text][0].read_text(encoding="utf-8").split())
    fixed(WARNING in prose, "chapter 9 does not warn")


@needs_a_clean_stop
@pytest.mark.parametrize("text", [as_printed_fails("DROP TABLE without IF EXISTS"), "patched"])
def test_tut09_first_copy_still_stops_cleanly_once_a_second_copy_dropped_its_table(
        tut09_second_copy, text):
    *_, code, log = tut09_second_copy[text]
    fixed((code, "Traceback" in log) == (0, False), log)
