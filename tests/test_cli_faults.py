"""The command line under faults: unreadable files, mixed types, huge CSVs."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from skscale._cli import chunked as _cli_profile
from skscale.cli import main


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assert_one_line_error(code, err, *fragments):
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


def test_unreadable_file_is_one_line(capsys, tmp_path, monkeypatch):
    path = tmp_path / "locked.csv"
    path.write_text("a,b\n1,2\n")

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(pd, "read_csv", denied)
    code, _, err = run(capsys, "profile", path)
    assert_one_line_error(code, err, "cannot read", "Permission denied")


def test_binary_file_is_one_line(capsys, tmp_path):
    path = tmp_path / "image.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe\x00\x00" * 50)
    code, _, err = run(capsys, "profile", path)
    assert_one_line_error(code, err, str(path))


@pytest.mark.parametrize("chunksize", [None, 2])
def test_mixed_types_name_column_row_and_value(capsys, tmp_path, chunksize):
    path = tmp_path / "mixed.csv"
    path.write_text("a,b\n1,2\n3,4\n5,oops\n7,8\n")
    extra = ["--chunksize", chunksize] if chunksize else []
    code, _, err = run(capsys, "profile", path, *extra)
    assert_one_line_error(code, err, "column 'b'", "row 3", "'oops'")


def make_csv(path, n=12_000, seed=0):
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "rooms": rng.lognormal(7, 1, n),
            "age": rng.uniform(1, 52, n),
            "flag": rng.integers(0, 2, n),
            "income": np.r_[rng.normal(5, 1, n - 240), rng.normal(-40, 1, 240)],
        }
    )
    frame.loc[::97, "age"] = np.nan
    frame.to_csv(path, index=False)
    return frame


def test_huge_csv_is_read_in_chunks_with_the_whole_file_choices(
    capsys, tmp_path, monkeypatch
):
    path = tmp_path / "big.csv"
    make_csv(path)
    code, whole, _ = run(capsys, "profile", path)
    assert code == 0
    chunk_sizes = []
    real_read_csv = pd.read_csv

    def spy(*args, **kwargs):
        chunk_sizes.append(kwargs.get("chunksize"))
        return real_read_csv(*args, **kwargs)

    monkeypatch.setattr(pd, "read_csv", spy)
    # Any file over the threshold is chunked; lower it to make this one "huge".
    monkeypatch.setattr(_cli_profile, "CHUNKED_ABOVE_BYTES", 1_000)
    monkeypatch.setattr(_cli_profile, "DEFAULT_CHUNK_ROWS", 1_000)
    code, chunked, _ = run(capsys, "profile", path)
    assert code == 0
    assert chunk_sizes and all(size == 1_000 for size in chunk_sizes)
    assert "read in 12 chunks of 1000 rows" in chunked

    def choices(text):
        return [line for line in text.splitlines() if line.startswith("  ")]

    assert choices(chunked) == choices(whole)
    assert "clip+linear" in chunked and "log+linear" in chunked


def test_chunked_profile_statistics_equal_the_whole_file(tmp_path):
    path = tmp_path / "big.csv"
    frame = make_csv(path, n=5_000)
    result = _cli_profile.profile_csv_in_chunks(path, 700)
    columns, report, n_chunks = result.columns, result.report, result.n_chunks
    assert result.n_rows == len(frame)
    assert columns == list(frame.columns) and n_chunks == 8
    np.testing.assert_allclose(report["mean"], frame.mean().to_numpy(), rtol=1e-12)
    np.testing.assert_allclose(report["std"], frame.std().to_numpy(), rtol=1e-9)
    np.testing.assert_allclose(report["skewness"], frame.skew().to_numpy(), rtol=1e-2)
    np.testing.assert_array_equal(report["missing"], frame.isna().sum().to_numpy())
    two_valued = report["reason"] == "binary: two distinct values"
    assert two_valued.tolist() == [False, False, True, False]


def test_chunksize_must_be_positive(capsys, tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("a\n1\n2\n")
    code, _, err = run(capsys, "profile", path, "--chunksize", 0)
    assert_one_line_error(code, err, "--chunksize")


# --- Ctrl-C (issue 10, item 14) ------------------------------------------------


def start_skscale(*args, code=None):
    """Start the command as a console script does, in a subprocess."""
    program = code or "import sys; from skscale.cli import main; sys.exit(main())"
    return subprocess.Popen(
        [sys.executable, "-c", program, *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def assert_interrupted(completed_code, err):
    assert completed_code == 130, err
    assert "Traceback" not in err
    assert [line for line in err.splitlines() if "interrupted" in line] == [
        line for line in err.splitlines() if line.strip()
    ][-1:], err


def test_ctrl_c_during_training_stops_the_demo(tmp_path):
    pytest.importorskip("matplotlib")
    out = tmp_path / "pictures"
    process = start_skscale("demo", "--out", out)
    try:
        first = process.stdout.readline()  # printed just before training starts
        assert first.startswith("data: "), process.stderr.read()
        time.sleep(1.5)  # well inside the ~10 s of training
        process.send_signal(signal.SIGINT)
        out_text, err = process.communicate(timeout=120)
    finally:
        process.kill()
    assert_interrupted(process.returncode, err)
    # the network catches the interrupt; the command must not print a table of
    # cut-short runs as if they were complete, nor write pictures
    assert "| strategy" not in out_text
    assert list(out.iterdir()) == []


def test_ctrl_c_during_start_up_imports(tmp_path):
    # Ctrl-C while the heavy libraries load: a finder that raises
    # KeyboardInterrupt on the first import of numpy, deterministically
    path = tmp_path / "a.csv"
    path.write_text("a\n1\n2\n")
    code = (
        "import sys\n"
        "class Interrupt:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'numpy':\n"
        "            raise KeyboardInterrupt\n"
        "sys.meta_path.insert(0, Interrupt())\n"
        "from skscale.cli import main\n"
        "sys.exit(main())\n"
    )
    process = start_skscale("profile", path, code=code)
    _, err = process.communicate(timeout=120)
    assert_interrupted(process.returncode, err)


def test_pictures_are_saved_whole_or_not_at_all(tmp_path, monkeypatch):
    plt = pytest.importorskip("matplotlib.pyplot")
    from skscale._cli import plots as _cli_plots

    fig = plt.figure()

    def interrupted(*args, **kwargs):
        Path(args[0]).write_bytes(b"\x89PNG half")
        raise KeyboardInterrupt

    monkeypatch.setattr(fig, "savefig", interrupted)
    with pytest.raises(KeyboardInterrupt):
        _cli_plots.save_figure(fig, tmp_path / "loss_curves.png")
    plt.close(fig)
    assert list(tmp_path.iterdir()) == []


# --- --out that cannot be written (issue 10, item 15) ---------------------------


@pytest.mark.parametrize("command", ["demo", "profile"])
def test_out_where_a_picture_is_a_directory_fails_before_the_work(
    capsys, tmp_path, command
):
    pytest.importorskip("matplotlib")
    out = tmp_path / "out"
    (out / "histograms.png").mkdir(parents=True)
    data = tmp_path / "a.csv"
    data.write_text("a,b\n1,2\n3,4\n5,7\n")
    args = ["demo", "--quick"] if command == "demo" else ["profile", data]
    code, stdout, err = run(capsys, *args, "--out", out)
    assert_one_line_error(code, err, "histograms.png", "is a directory")
    assert stdout == ""  # nothing ran: no data line, no table


def test_out_in_a_directory_that_refuses_writes_fails_before_the_work(
    capsys, tmp_path, monkeypatch
):
    pytest.importorskip("matplotlib")
    import tempfile

    def read_only(*args, **kwargs):
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(tempfile, "NamedTemporaryFile", read_only)
    code, stdout, err = run(capsys, "demo", "--quick", "--out", tmp_path)
    assert_one_line_error(code, err, str(tmp_path), "Read-only file system")
    assert stdout == ""


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0,
    reason="root may write into a read-only directory",
)
def test_out_to_a_read_only_directory_is_one_line(capsys, tmp_path):
    pytest.importorskip("matplotlib")
    data = tmp_path / "a.csv"
    data.write_text("a,b\n1,2\n3,4\n5,7\n")
    out = tmp_path / "locked"
    out.mkdir()
    out.chmod(0o555)
    try:
        code, stdout, err = run(capsys, "profile", data, "--out", out)
    finally:
        out.chmod(0o755)
    assert_one_line_error(code, err, str(out))
    assert stdout == ""


# --- profile's counts and odd numbers (issue 10, item 16) -----------------------


def test_chunked_profile_counts_rows_not_count_plus_missing(capsys, tmp_path):
    # 'a' has the most values, 'b' the most missing: 3 rows, not 3 + 2
    path = tmp_path / "gaps.csv"
    path.write_text("a,b\n1,\n2,\n3,4\n")
    code, out, _ = run(capsys, "profile", path, "--chunksize", 2)
    assert code == 0
    assert out.splitlines()[0].startswith(f"{path}: 3 rows, 2 columns")


@pytest.mark.parametrize("chunksize", [None, 2])
def test_header_only_file_has_no_data_rows(capsys, tmp_path, chunksize):
    path = tmp_path / "header.csv"
    path.write_text("a,b\n")
    extra = ["--chunksize", chunksize] if chunksize else []
    code, _, err = run(capsys, "profile", path, *extra)
    assert_one_line_error(code, err, "no data rows")


@pytest.mark.parametrize("chunksize", [None, 2])
def test_integer_beyond_int64_is_a_number(capsys, tmp_path, chunksize):
    path = tmp_path / "big.csv"
    path.write_text("a,b\n99999999999999999999999,1\n2,3\n4,5\n")
    extra = ["--chunksize", chunksize] if chunksize else []
    code, out, err = run(capsys, "profile", path, *extra)
    assert code == 0, err
    assert "1.000e+23" in out  # its maximum, read as float64
