"""The command line under faults: unreadable files, mixed types, huge CSVs."""

import numpy as np
import pandas as pd
import pytest

from skscale import _cli_profile
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
    columns, profile, n_chunks = _cli_profile.profile_csv_in_chunks(path, 700)
    assert columns == list(frame.columns) and n_chunks == 8
    np.testing.assert_allclose(profile.mean, frame.mean().to_numpy(), rtol=1e-12)
    np.testing.assert_allclose(profile.std, frame.std().to_numpy(), rtol=1e-9)
    np.testing.assert_allclose(profile.skewness, frame.skew().to_numpy(), rtol=1e-2)
    np.testing.assert_array_equal(profile.missing, frame.isna().sum().to_numpy())
    assert profile.two_valued.tolist() == [False, False, True, False]


def test_chunksize_must_be_positive(capsys, tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("a\n1\n2\n")
    code, _, err = run(capsys, "profile", path, "--chunksize", 0)
    assert_one_line_error(code, err, "--chunksize")
