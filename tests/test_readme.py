"""Every command the README gives a reader is one CI runs, as written."""
import re

import pytest
from conftest import REPO

BASH_BLOCK = re.compile(r"^```bash\n(.*?)^```$", re.M | re.S)


def readme_commands():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return [line.strip() for block in BASH_BLOCK.findall(text)
            for line in block.splitlines() if line.strip()]


def test_the_readme_gives_the_quick_start_first():
    assert readme_commands()[:4] == ["python3 -m venv venv", ". venv/bin/activate",
                                     "python -m pip install -r requirements.txt",
                                     "python tut01.py"]


@pytest.mark.parametrize("command", readme_commands())
def test_ci_runs_the_readme_command(command):
    ci = (REPO / ".ci" / "quickstart").read_text(encoding="utf-8").splitlines()
    assert any(command in line and not line.lstrip().startswith("#") for line in ci)
