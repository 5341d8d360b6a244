"""The code the tutorial text prints, read from docs/tutorials.rst.

Blocks are read as Sphinx renders them: tabs expanded to 8 columns, then
the block's common indentation removed; trailing blanks are dropped.
"""
import re
import textwrap
from pathlib import Path

TEXT = Path(__file__).resolve().parent.parent / "docs" / "tutorials.rst"
CHAPTER = re.compile(r"^Tutorial (\d+):")
DIRECTIVE = re.compile(r"^\.\. code-block:: (\w+)\s*$")


def code_blocks():
    """Return [(chapter, language, code)] in the order the text prints them."""
    lines = TEXT.read_text(encoding="utf-8").expandtabs(8).splitlines()
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
        code = textwrap.dedent("\n".join(line.rstrip() for line in body))
        code = code.strip("\n") + "\n"
        blocks.append((chapter, directive.group(1), code))
    return blocks


def printed(chapter, language):
    """The last block of `language` printed in `chapter`."""
    found = [code for ch, lang, code in code_blocks() if (ch, lang) == (chapter, language)]
    return found[-1]
