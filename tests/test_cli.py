"""The ``skscale`` command, run as a user runs it: in a subprocess."""

import io
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from skscale._cli import training
from skscale._cli.data import csv_dataset
from skscale._cli.progress import Progress
from skscale._cli.table import format_table, still_improving
from skscale.cli import main

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def run_skscale(*args, cwd=None):
    """Run ``python -m skscale.cli ARGS``: the console script calls the same main."""
    return subprocess.run(
        [sys.executable, "-m", "skscale.cli", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=cwd,
    )


def assert_valid_png(path):
    pytest.importorskip("matplotlib")
    import matplotlib.image

    assert path.read_bytes()[:8] == PNG_SIGNATURE
    image = matplotlib.image.imread(path)
    assert image.ndim == 3 and image.shape[0] > 100 and image.shape[1] > 100


@pytest.fixture(scope="module")
def quick_demo(tmp_path_factory):
    pytest.importorskip("skscale.neural_network")
    out = tmp_path_factory.mktemp("demo")
    return run_skscale("demo", "--quick", "--out", out), out


def test_demo_quick_names_every_strategy_and_solver(quick_demo):
    completed, _ = quick_demo
    assert completed.returncode == 0, completed.stderr
    rows = [
        line.split("|")[1:4]
        for line in completed.stdout.splitlines()
        if line.startswith("| ") and "strategy" not in line
    ]
    pairs = {(s.strip(), v.strip()) for s, v, _ in rows}
    strategies = ("none", "linear", "zscore", "auto", "quantile", "ple")
    assert pairs == {(s, v) for s in strategies for v in training.SOLVERS}
    assert "task3" not in completed.stdout  # diabetes lacks the course's columns
    # every run trained: finite train and validation RMSE
    for line in completed.stdout.splitlines():
        if line.startswith("| ") and "strategy" not in line:
            cells = [c.strip() for c in line.split("|")]
            assert np.isfinite(float(cells[4])) and float(cells[4]) > 0
            mean, sd = (float(v) for v in cells[5].rstrip(" *†").split(" ± "))
            assert np.isfinite(mean) and sd >= 0
    assert "mean over 2 shuffled train/validation splits" in completed.stdout
    # the lesson: with plain gradient descent, unnormalized inputs do worse than
    # normalized ones (unless the normalized runs are marked as unconverged)
    valid = {
        (cells[1], cells[2]): cells[5]
        for cells in (
            [c.strip() for c in line.split("|")]
            for line in completed.stdout.splitlines()
            if line.startswith("| ") and "strategy" not in line
        )
    }
    normalized = [
        float(valid[(s, "sgd")].split(" ± ")[0])
        for s in ("linear", "zscore", "auto")
        if "†" not in valid[(s, "sgd")]
    ]
    unnormalized = float(valid[("none", "sgd")].split()[0])
    assert all(rmse < unnormalized for rmse in normalized)
    # progress goes to stderr as one final line outside a terminal: 24 runs x 2
    assert completed.stderr.strip().splitlines() == [
        line for line in completed.stderr.splitlines() if "48/48" in line
    ]
    assert "[" not in completed.stdout.split("\n", 1)[0]


def test_demo_quick_writes_valid_pngs(quick_demo):
    completed, out = quick_demo
    assert completed.returncode == 0, completed.stderr
    written = sorted(p.name for p in out.glob("*.png"))
    assert written == ["histograms.png", "loss_curves.png"]
    for path in out.glob("*.png"):
        assert_valid_png(path)


def test_profile_names_every_column_and_writes_histograms(tmp_path):
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        {
            "visits": rng.lognormal(2.0, 1.0, size=300),
            "angle": rng.uniform(-1.0, 1.0, size=300),
            "member": rng.integers(0, 2, size=300),
        }
    )
    frame.loc[[3, 7], "angle"] = np.nan
    path = tmp_path / "data.csv"
    frame.to_csv(path, index=False)
    completed = run_skscale("profile", path, "--out", tmp_path / "pictures")
    assert completed.returncode == 0, completed.stderr
    lines = completed.stdout.splitlines()
    table = {line.split()[0]: line.split() for line in lines[2:5]}
    assert table["visits"][-1] == "log+linear"
    assert table["angle"][-1] == "linear"
    assert table["angle"][2] == "2"  # missing
    assert table["member"][-1] == "passthrough"
    for name in frame.columns:
        assert f"  {name}: " in completed.stdout  # the reason, per column
    assert_valid_png(tmp_path / "pictures" / "histograms.png")


@pytest.fixture
def bad_inputs(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    header_only = tmp_path / "header.csv"
    header_only.write_text("a,b\n")
    text = tmp_path / "text.csv"
    text.write_text("a,city\n1,Paris\n2,Rome\n")
    mixed = tmp_path / "mixed.csv"
    mixed.write_text("a,b\n1,2\n3,oops\n")
    good = tmp_path / "good.csv"
    good.write_text("a,b\n" + "".join(f"{i},{i * 2}\n" for i in range(20)))
    return {
        "missing file": (
            ["profile", tmp_path / "nope.csv"],
            "no such file",
        ),
        "empty file": (["profile", empty], "is empty"),
        "header only": (["profile", header_only], "no data rows"),
        "non-numeric value": (["profile", mixed], "column 'b'"),
        "only text": (["profile", text, "--columns", "city"], "no numeric columns"),
        "unknown --drop": (["profile", text, "--drop", "town"], "'town' not in"),
        "unknown target": (
            ["demo", "--csv", good, "--target", "price"],
            "target column 'price' is not in",
        ),
        "demo missing file": (
            ["demo", "--csv", tmp_path / "nope.csv", "--target", "a"],
            "no such file",
        ),
        "demo non-numeric": (
            ["demo", "--csv", text, "--target", "a"],
            "column 'city'",
        ),
        "csv without target": (["demo", "--csv", good], "go together"),
    }


@pytest.mark.parametrize(
    "case",
    [
        "missing file",
        "empty file",
        "header only",
        "non-numeric value",
        "only text",
        "unknown --drop",
        "unknown target",
        "demo missing file",
        "demo non-numeric",
        "csv without target",
    ],
)
def test_user_errors_give_one_line_and_non_zero_exit(bad_inputs, case, capsys):
    args, expected = bad_inputs[case]
    assert main([str(a) for a in args]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert expected in lines[0]
    assert lines[0].startswith("skscale ")


def test_user_error_in_a_subprocess_has_no_traceback(bad_inputs):
    args, expected = bad_inputs["non-numeric value"]
    completed = run_skscale(*args)
    assert completed.returncode == 2
    assert completed.stdout == ""
    assert completed.stderr.strip().splitlines() == [
        line for line in completed.stderr.strip().splitlines() if expected in line
    ]
    assert "Traceback" not in completed.stderr


def test_console_script_is_declared():
    from importlib.metadata import entry_points

    (script,) = entry_points(group="console_scripts", name="skscale")
    assert script.value == "skscale.cli:main"


@pytest.mark.parametrize("command", [[], ["demo"], ["profile"]])
def test_help_on_every_subcommand(command, capsys):
    with pytest.raises(SystemExit) as exited:
        main([*command, "--help"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.startswith("usage: skscale")


def test_course_csv_gets_the_course_setup_and_task3(tmp_path):
    rng = np.random.default_rng(1)
    n = 60
    frame = pd.DataFrame(
        {
            "longitude": rng.uniform(-124, -114, n),
            "latitude": rng.uniform(32, 42, n),
            "housing_median_age": rng.integers(1, 52, n),
            "total_rooms": rng.integers(100, 9000, n),
            "total_bedrooms": rng.integers(20, 1500, n),
            "population": rng.integers(50, 4000, n),
            "households": rng.integers(20, 1400, n),
            "median_income": rng.uniform(0.5, 15, n),
            "median_house_value": rng.uniform(15_000, 500_000, n),
        }
    )
    path = tmp_path / "california.csv"
    frame.to_csv(path, index=False)
    dataset = csv_dataset(path, "median_house_value")
    assert dataset.is_course
    assert "rooms_per_person" in dataset.X_train.columns
    assert len(dataset.X_train) + len(dataset.X_valid) == n
    assert dataset.y_train.max() <= 500.0  # thousands of dollars
    assert training.n_repeats(dataset, quick=False) == 1  # the course's one split
    names = list(training.normalizers(dataset))
    assert names == [
        "none",
        "linear",
        "zscore",
        "auto",
        "task3",
        "quantile",
        "ple",
        "ple+rff",
    ]
    task3 = training.course_task3().fit(dataset.X_train)
    assert task3.transform(dataset.X_valid).shape == (len(dataset.X_valid), 9)
    # the pictures put Task 3's output columns back in the input's order
    from skscale._cli.demo import _in_order

    columns = list(dataset.X_train.columns)
    ordered = _in_order(task3, task3.transform(dataset.X_train), columns)
    households = columns.index("households")
    np.testing.assert_allclose(
        ordered[:, households], np.log1p(dataset.X_train["households"])
    )
    table = format_table(
        [
            training.Result(training.Config("task3", "adagrad"), 60.0, 61.0, 1.0),
            training.Result(training.Config("linear", "sgd"), 70.0, 71.0, 1.0),
        ],
        course=True,
        wide=True,
    )
    assert "68.0 / 69.4 / 71.5 (Task 3" in table
    assert "69.9 / 71.5 / 74.5 (Task 1" in table
    assert "61.0 *" in table


def test_progress_outside_a_terminal_is_one_final_line():
    stream = io.StringIO()
    progress = Progress(4, stream=stream)
    for _ in range(4):
        progress.describe("linear + sgd")
        progress.step()
    progress.close()
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("runs: 4/4 in 00:00")


def test_progress_on_a_terminal_is_a_throttled_bar_with_eta():
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    stream = Terminal()
    progress = Progress(1000, stream=stream)
    for _ in range(1000):
        progress.step()
    progress.close()
    text = stream.getvalue()
    assert "1000/1000" in text and "<" in text  # tqdm's elapsed<remaining
    assert text.count("\r") < 100  # redrawn at most every MIN_INTERVAL, not per step


def test_quiet_writes_no_progress():
    stream = io.StringIO()
    progress = Progress(2, stream=stream, quiet=True)
    progress.step()
    progress.step()
    progress.close()
    assert stream.getvalue() == ""


def test_demo_and_profile_do_not_import_matplotlib_without_out():
    code = (
        "import sys; import skscale.cli, skscale._cli.demo, skscale._cli.training; "
        "import skscale._cli.data, skscale._cli.profile, skscale._cli.chunked; "
        "import skscale.neural_network; "
        "sys.exit('matplotlib' in sys.modules)"
    )
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True)
    assert completed.returncode == 0, completed.stderr


def test_out_without_matplotlib_is_a_user_error(monkeypatch, tmp_path, capsys):
    path = tmp_path / "data.csv"
    path.write_text("a,b\n1,2\n3,4\n")
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    assert main(["profile", str(path), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip()
    assert "needs matplotlib" in err and "\n" not in err


def test_a_failing_normalizer_is_a_note_not_a_crash():
    pytest.importorskip("skscale.neural_network")
    rng = np.random.default_rng(0)
    X_train = pd.DataFrame({"count": rng.lognormal(size=100)})
    X_valid = pd.DataFrame({"count": [-5.0, 1.0]})
    from skscale import AutoScaler

    result = training.train_one(
        training.Config("auto", "adam", epochs=2),
        AutoScaler(),
        X_train,
        rng.normal(size=100),
        X_valid,
        np.zeros(2),
    )
    assert np.isnan(result.valid_rmse)
    assert result.note.startswith("failed: AutoScaler log-transforms column(s) 'count'")


def test_profile_skips_text_columns_and_the_target(tmp_path):
    path = tmp_path / "houses.csv"
    rng = np.random.default_rng(0)
    pd.DataFrame(
        {
            "rooms": rng.lognormal(5, 1, 50),
            "city": ["Paris", "Rome"] * 25,
            "age": rng.uniform(1, 50, 50),
            "price": rng.uniform(1e4, 9e5, 50),
        }
    ).to_csv(path, index=False)
    completed = run_skscale("profile", path, "--target", "price")
    assert completed.returncode == 0, completed.stderr
    lines = completed.stdout.splitlines()
    assert lines[0].endswith("50 rows, 2 columns profiled")
    assert "skipped text column(s) 'city'" in completed.stdout
    assert "target 'price': not profiled" in completed.stdout
    profiled = [line.split()[0] for line in lines[4:6]]
    assert profiled == ["rooms", "age"]
    assert "  price:" not in completed.stdout and "  city:" not in completed.stdout


@pytest.mark.parametrize("chunksize", [[], ["--chunksize", "7"]])
def test_profile_columns_and_drop_choose_the_columns(tmp_path, chunksize, capsys):
    path = tmp_path / "data.csv"
    pd.DataFrame({c: np.arange(20.0) ** (i + 1) for i, c in enumerate("abcd")}).to_csv(
        path, index=False
    )
    args = ["profile", str(path), "--columns", "a,b,c", "--drop", "b", *chunksize]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "2 columns profiled" in out.splitlines()[0]
    reasons = [line.split(":")[0].strip() for line in out.split("why:")[1].splitlines()]
    assert [r for r in reasons if r] == ["a", "c"]


def test_profile_formats_every_number_one_way(tmp_path):
    from skscale._cli.profile import format_number

    assert [format_number(v) for v in (15000.0, 37937.0, 0.0123, -0.304)] == [
        "15,000",
        "37,937",
        "0.01230",
        "-0.3040",
    ]
    assert format_number(1e23) == "1.000e+23" and format_number(np.int64(17000)) == (
        "17,000"
    )
    path = tmp_path / "data.csv"
    rng = np.random.default_rng(0)
    pd.DataFrame({"a": rng.lognormal(9, 1, 200), "b": rng.normal(size=200)}).to_csv(
        path, index=False
    )
    completed = run_skscale("profile", path)
    table = completed.stdout.split("why:")[0]
    assert "e+" not in table  # no 1.5e+04 beside 3.794e+04
    header = table.splitlines()[1].split()
    assert "%" in header  # outlier shares in percent, as in the reasons


def test_version_and_help_import_no_heavy_library():
    code = (
        "import sys, contextlib, io\n"
        "from skscale.cli import main\n"
        "for flag in ('--version', '--help'):\n"
        "    with contextlib.redirect_stdout(io.StringIO()) as out:\n"
        "        try:\n"
        "            main([flag])\n"
        "        except SystemExit as e:\n"
        "            assert e.code == 0\n"
        "    assert out.getvalue().startswith(('skscale 0', 'usage: skscale'))\n"
        "heavy = {'numpy', 'pandas', 'sklearn', 'scipy', 'matplotlib', 'tqdm'}\n"
        "print(sorted(heavy & set(sys.modules)))\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "[]"


def test_version_is_the_package_metadata_version():
    from importlib.metadata import version

    import skscale

    completed = run_skscale("--version")
    assert completed.stdout.strip() == f"skscale {skscale.__version__}"
    assert skscale.__version__ == version("skscale")


def png_dpi(path):
    """The resolution a PNG declares (its pHYs chunk), in dots per inch."""
    data = path.read_bytes()
    at = data.index(b"pHYs") + 4
    per_metre = int.from_bytes(data[at : at + 4], "big")
    return round(per_metre * 0.0254)


def test_pictures_label_every_panel_at_150_dpi(tmp_path, monkeypatch):
    pytest.importorskip("matplotlib")
    from skscale._cli import plots

    figures = []
    real_save = plots.save_figure

    def spy(fig, path):
        figures.append(fig)
        return real_save(fig, path)

    monkeypatch.setattr(plots, "save_figure", spy)
    raw = pd.DataFrame({"price": [1e5, 2e5, 5e5, 3e5], "rooms": [1.0, 2.0, 3.0, 9.0]})
    plots.plot_histograms(
        raw,
        {"auto": raw.to_numpy() / 1e3},
        tmp_path / "h.png",
        captions={"auto": ["log+linear", "linear"]},
    )
    results = [
        training.Result(
            training.Config(strategy, solver),
            1.0,
            1.0,
            0.1,
            loss_curve=[4.0, 2.0, 1.0],
            valid_curve=[5.0, 3.0, 2.0],
        )
        for strategy in ("none", "linear")
        for solver in ("sgd", "adam")
    ]
    plots.plot_loss_curves(results, tmp_path / "l.png")
    for path in (tmp_path / "h.png", tmp_path / "l.png"):
        assert png_dpi(path) == 150
    histograms, losses = figures
    for ax in histograms.axes + losses.axes:
        assert ax.get_xlabel() and ax.get_ylabel()
    # the chosen strategy under each AutoScaler histogram
    assert [ax.get_xlabel().splitlines()[-1] for ax in histograms.axes[2:]] == [
        "AutoScaler chose: log+linear",
        "AutoScaler chose: linear",
    ]
    # validation (dashed) beside training (solid) in every panel
    for ax in losses.axes:
        assert {line.get_linestyle() for line in ax.get_lines()} == {"-", "--"}
    assert all(len(label) <= 5 for label in map(plots.compact_number, [5e5, 1.5e6]))


def test_ftrl_runs_with_l1_so_it_differs_from_adagrad():
    pytest.importorskip("skscale.neural_network")
    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.normal(size=(120, 3)))
    y = X.to_numpy() @ [3.0, -2.0, 0.0] + rng.normal(size=120)
    ftrl, adagrad = (
        training.train_one(
            training.Config("none", solver, learning_rate=0.5, epochs=10),
            None,
            X[:100],
            y[:100],
            X[100:],
            y[100:],
        )
        for solver in ("ftrl", "adagrad")
    )
    assert ftrl.loss_curve != adagrad.loss_curve
    table = format_table([ftrl, adagrad], course=False)
    assert "ftrl: FTRL-Proximal with L1" in table


def test_still_improving_rows_are_marked():
    falling = [10.0 / (epoch + 1) for epoch in range(20)]
    flat = [1.0] * 20
    assert still_improving(falling) and not still_improving(flat)
    table = format_table(
        [
            training.Result(training.Config("none", "sgd"), 1, 2, 0, loss_curve=flat),
            training.Result(
                training.Config("linear", "sgd"), 1, 3, 0, loss_curve=falling
            ),
        ],
        course=False,
    )
    assert "| 3.0 † " in table and "| 2.0 *" in table
    assert "† still improving when training stopped" in table


def test_demo_table_fits_100_columns_and_wide_keeps_the_long_labels():
    # The California table's widest rows: the course's reference column, the
    # PLE network with its schedule, dtype and dropout, marks † and *, and a
    # note per run; --wide keeps the course's min/max and the cell's name.
    widest = training.Config(
        "ple", "adam", (128, 128), dropout=0.1, schedule="cosine", float32=True
    )
    results = [
        training.Result(training.Config("none", "sgd"), 107.3, 110.1, 3.8),
        training.Result(training.Config("task3", "adagrad"), 61.3, 61.9, 1.6),
        training.Result(training.Config("linear", "ftrl"), 60.8, 61.7, 1.0),
        training.Result(widest, 40.2, 49.3, 110.8, loss_curve=[9.0] * 10 + [5.0] * 10),
    ]
    results[0].note = "Dead ReLU units: 60% of the units of hidden layer 1 output 0"
    table = format_table(results, course=True)
    assert max(len(line) for line in table.splitlines()) <= 100
    assert "128x128 cos f32 d0.1" in table
    assert "103.2" in table and "99.7 / 103.2" not in table
    assert "- none + sgd: Dead ReLU units" in table
    wide = format_table(results, course=True, wide=True)
    assert "99.7 / 103.2 / 110.0 (unnormalized baseline)" in wide
    assert "128x128 cosine float32 dropout 0.1" in wide
    assert max(len(line) for line in wide.splitlines()) > 100


def test_loss_curves_have_distinct_colors_and_a_panel_for_wider_networks(
    tmp_path, monkeypatch
):
    pytest.importorskip("matplotlib")
    from matplotlib.colors import to_rgb

    from skscale._cli import plots

    figures = []
    monkeypatch.setattr(plots, "save_figure", lambda fig, path: figures.append(fig))
    strategies = ["none", "linear", "zscore", "auto", "task3", "quantile", "ple"]
    results = [
        training.Result(training.Config(s, solver), 1.0, 1.0, 1.0, [3.0, 2.0] * 15)
        for s in strategies
        for solver in ("sgd", "adam")
    ]
    wide = training.Config("ple", "adam", (128, 128), schedule="cosine")
    results.append(training.Result(wide, 1.0, 1.0, 1.0, [3.0, 2.0] * 75))
    plots.plot_loss_curves(results, tmp_path / "loss.png")
    (fig,) = figures
    titles = [ax.get_title() for ax in fig.axes]
    assert titles == ["sgd", "adam", "wider networks"]
    # the 30-epoch panels are not stretched to the wider network's 150
    assert fig.axes[1].get_xlim()[1] < 40
    legend_colors = [to_rgb(h.get_color()) for h in fig.legends[0].legend_handles]
    curve_colors, style_colors = legend_colors[:-2], legend_colors[-2:]
    assert len(set(curve_colors)) == len(curve_colors) == len(strategies) + 1
    assert not set(curve_colors) & set(style_colors)
