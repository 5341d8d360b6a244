"""The code the tutorial texts print, and how a file here differs from it.

    python tests/printed.py tut05.py                # a file against the text it follows
    python tests/printed.py --today tut09.py        # a top-level file against today's text
    python tests/printed.py --write DIR [TEXT.rst]  # a text's code (today's) for --from=DIR
    python tests/printed.py --help                  # this, and the files it knows

Prints a unified diff, printed code first; nothing when they are the same. Blocks
are read as Sphinx renders them: tabs expanded to 8 columns, common indentation
removed, trailing blanks dropped.
"""
import difflib
import functools
import re
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TEXT_2014 = REPO / "docs" / "tutorials.rst"  # July 2014: the top-level files
TEXT_2018 = REPO / "docs" / "tutorials-2018.rst"  # today's docs: the 2018-ch* folders
CHAPTER = re.compile(r"^Tutorial (\d+):")
DIRECTIVE = re.compile(r"^\.\. code-block:: (\w+)\s*$")
REACT, PYTEST = "2018-ch10-react", "2018-ch12-pytest"

# Each file that holds printed code: (text, chapter, language, which block of
# that language in the chapter: -1 is the last one printed).
FILES = {f"tut{n:02d}.py": (TEXT_2014, n, "python", -1) for n in range(1, 10)}
FILES.update({
    "index.html": (TEXT_2014, 8, "html", -1),
    "public/css/style.css": (TEXT_2014, 8, "css", -1),
    f"{REACT}/index.html": (TEXT_2018, 10, "html", -1),
    f"{REACT}/public/js/gen.js": (TEXT_2018, 10, "javascript", -1),
    f"{REACT}/public/css/style.css": (TEXT_2018, 8, "css", -1),
    f"{PYTEST}/tut12.py": (TEXT_2018, 12, "python", 0),
    f"{PYTEST}/test_tut12.py": (TEXT_2018, 12, "python", 1),
})


@functools.cache  # each text is read once a run
def code_blocks(text=TEXT_2014):
    """Return ((chapter, language, code, line), ...) in the order the text prints
    them; `line` is the number of the block's first line of code in the text."""
    lines = text.read_text(encoding="utf-8").expandtabs(8).splitlines()
    blocks, chapter, i = [], 0, 0
    while i < len(lines):
        heading, directive = CHAPTER.match(lines[i]), DIRECTIVE.match(lines[i])
        if heading:
            chapter = int(heading.group(1))
        i += 1
        if not directive:
            continue
        while i < len(lines) and lines[i].strip().startswith(":"):
            i += 1  # directive options such as :linenos:
        body = []
        while i < len(lines) and (not lines[i].strip() or lines[i][0] == " "):
            body.append(lines[i])
            i += 1
        first = i - len(body) + next(n for n, line in enumerate(body) if line.strip()) + 1
        code = textwrap.dedent("\n".join(line.rstrip() for line in body))
        code = code.strip("\n") + "\n"
        blocks.append((chapter, directive.group(1), code, first))
    return tuple(blocks)


def block(chapter, language, text=TEXT_2014, which=-1):
    """(code, line) of a block of `language` printed in `chapter`: by default the last one."""
    found = [(code, line) for ch, lang, code, line in code_blocks(text)
             if (ch, lang) == (chapter, language)]
    return found[which]


def printed(chapter, language, text=TEXT_2014, which=-1):
    """The code of a block of `language` printed in `chapter`: by default the last one."""
    return block(chapter, language, text, which)[0]


def where_printed(path, text=None):
    """Where the text prints the code of `path`: "docs/tutorials.rst:123"."""
    own_text, chapter, language, which = FILES[path]
    text = text or own_text
    return f"{text.relative_to(REPO).as_posix()}:{block(chapter, language, text, which)[1]}"


def printed_for(path, text=None):
    """The code the text prints for `path` (a key of FILES); `text` overrides its text."""
    own_text, chapter, language, which = FILES[path]
    return printed(chapter, language, text or own_text, which)


def with_the_texts_edit(path):
    """The code of `path` once the reader makes the change its text asks for, or
    None. Today's chapter 12 shows lines 17-18 of tut12.py again, with
    `# pragma: no cover`: "the report should now show 100% coverage"."""
    if path != f"{PYTEST}/tut12.py":
        return None
    lines = printed_for(path).splitlines()
    edited = printed(12, "python", TEXT_2018, which=2).splitlines()  # ":lineno-start: 17"
    assert [line.split("  #")[0] for line in edited] == lines[16:18], edited
    return "\n".join(lines[:16] + edited) + "\n"


def diff(path, text=None):
    """Unified diff from the printed code to the file, as lines."""
    source = printed_for(path, text).splitlines(keepends=True)
    here = (REPO / path).read_text(encoding="utf-8").splitlines(keepends=True)
    return list(difflib.unified_diff(source, here, f"{where_printed(path, text)} ({path})", path))


def write_printed(folder, text=TEXT_2018):
    """Write the code `text` prints into `folder`, every file of FILES from that
    one text, laid out as this repository lays them out. Returns the paths."""
    for path, (_, chapter, language, which) in FILES.items():
        target = Path(folder) / path
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "w", encoding="utf-8", newline="\n") as file:  # LF on every OS
            file.write(printed(chapter, language, Path(text), which))
    return list(FILES)


def main(args):
    usage = __doc__ + "\nFiles: " + ", ".join(FILES)
    if "--help" in args or "-h" in args:
        print(usage)
        return
    if args[:1] == ["--write"] and len(args) in (2, 3):
        write_printed(args[1], *args[2:])
        return
    today = "--today" in args
    paths = [arg.replace("\\", "/") for arg in args if arg != "--today"]
    unknown = [path for path in paths if path not in FILES]
    if not paths or unknown:
        sys.exit(usage)  # to stderr, exit code 1
    for path in paths:
        sys.stdout.writelines(diff(path, TEXT_2018 if today else None))


if __name__ == "__main__":
    main(sys.argv[1:])
