"""README.md's commands and quick-start snippet stay true."""

import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_starts_with_demo_and_test_commands():
    commands = re.findall(r"```bash\n(.+?)\n```", README.read_text())
    assert commands[0] == "pip install . && skscale demo"
    assert commands[1] == 'pip install -e ".[test]" && python -m pytest'


def test_quick_start_snippet_runs(capsys):
    snippet = re.search(r"```python\n(.+?)```", README.read_text(), re.S).group(1)
    exec(compile(snippet, "README.md", "exec"), {})
    score = float(capsys.readouterr().out.strip())
    assert 0.5 < score <= 1.0
