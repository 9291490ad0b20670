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
    printed = capsys.readouterr().out
    rmse = {
        name: float(value)
        for name, value in re.findall(r"^(.+): validation RMSE (\S+)$", printed, re.M)
    }
    # the lesson the snippet prints: normalized inputs beat the raw ones, and
    # beat predicting the mean
    assert set(rmse) == {"training mean", "network", "AutoScaler + network"}
    assert rmse["AutoScaler + network"] < rmse["training mean"]
    assert rmse["AutoScaler + network"] < rmse["network"]
    # the output shown under the snippet is what it prints (to a rounding step
    # or two, which BLAS builds may move)
    readme = README.read_text()
    shown = re.search(r"```python\n.+?```\n\n```text\n(.+?)```", readme, re.S)
    shown = dict(re.findall(r"^(.+): validation RMSE (\S+)$", shown.group(1), re.M))
    assert set(shown) == set(rmse)
    for name, value in shown.items():
        assert abs(float(value) - rmse[name]) <= 0.2, name
