"""How the command reads a user's CSV: every value under its own name, or a
one-line error (issue 17 items 4, 10 and 13)."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import sklearn

from skscale._cli import csv_rows
from skscale._cli.data import csv_dataset, read_csv
from skscale._cli.errors import UserError
from skscale.cli import main

BREAST_CANCER = (
    Path(sklearn.__file__).parent / "datasets" / "data" / "breast_cancer.csv"
)
CHUNKED = [[], ["--chunksize", "2"]]


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def one_line_error(code, err):
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


def profiled(out):
    """Column -> (count, missing, min) from profile's table."""
    table = out.split("why:")[0].splitlines()
    start = next(i for i, line in enumerate(table) if line.startswith("column "))
    return {
        cells[0]: tuple(float(c.replace(",", "")) for c in cells[1:4])
        for cells in (line.split() for line in table[start + 1 :])
        if cells
    }


def write(tmp_path, text, name="data.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


@pytest.mark.parametrize("chunksize", CHUNKED)
def test_rows_ending_in_a_separator_keep_their_names(capsys, tmp_path, chunksize):
    path = write(tmp_path, "a,b,c\n1,10,100,\n2,20,200,\n3,30,300,\n")
    code, out, err = run(capsys, "profile", path, *chunksize)
    assert code == 0, err
    rows = profiled(out)
    # each column holds its own values, none missing (pandas' default reading
    # put b's values under a and left c empty)
    assert rows == {
        "a": (3, 0, 1),
        "b": (3, 0, 10),
        "c": (3, 0, 100),
    }


def test_trailing_separators_anywhere_and_in_the_header_are_read(tmp_path):
    text = "a,b,c,\n1,10,100\n2,20,200,\n3,,300\n\n4,40,400,\n"
    frame = read_csv(write(tmp_path, text))
    assert list(frame.columns) == ["a", "b", "c"]
    np.testing.assert_array_equal(frame["a"], [1, 2, 3, 4])
    np.testing.assert_array_equal(frame["c"], [100, 200, 300, 400])
    assert frame["b"].isna().tolist() == [False, False, True, False]


def test_demo_reads_trailing_separators_under_the_right_names(tmp_path):
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 1, 40)
    lines = ["x,noise,y"] + [f"{v},{i % 3},{1000 * v}," for i, v in enumerate(x)]
    dataset = csv_dataset(write(tmp_path, "\n".join(lines) + "\n"), "y")
    X = pd.concat([dataset.X_train, dataset.X_valid])
    y = np.r_[dataset.y_train, dataset.y_valid]
    assert list(X.columns) == ["x", "noise"]
    np.testing.assert_allclose(y, 1000 * X["x"].to_numpy())


@pytest.mark.parametrize("chunksize", CHUNKED)
def test_a_count_line_before_the_header_is_refused(capsys, chunksize):
    # scikit-learn's own file: "569,30,malignant,benign", then rows of 31 values
    code, out, err = run(capsys, "profile", BREAST_CANCER, *chunksize)
    line = one_line_error(code, err)
    assert out == ""
    assert "line 2" in line and "31 fields" in line and "names 4 columns" in line
    assert "count" in line


@pytest.mark.parametrize("chunksize", CHUNKED)
@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        # the first data row longer than the header: pandas made it an index
        ("a,b,c\n1,10,100,5\n2,20,200,6\n", ["line 2", "4 fields", "3 columns"]),
        # a short row: pandas padded its end, whichever value it lacks
        ("a,b,c\n1,10,100\n2,200\n3,30,300\n", ["line 3", "2 fields", "missing"]),
        # a header shorter than every row
        ("a,b\n1,10,100\n2,20,200\n", ["line 2", "3 fields", "2 columns"]),
        # a header longer than every row
        ("a,b,c,d\n1,10,100\n2,20,200\n", ["line 2", "3 fields", "4 columns"]),
        # a long row far down, after a quoted field holding a line end
        ('a,b,c\n1,"x,\ny",1\n' + "2,2,2\n" * 5 + "3,3,3,3\n", ["line 9", "4 fields"]),
    ],
    ids=["long first row", "short row", "short header", "long header", "late row"],
)
def test_ragged_rows_are_refused_in_one_line(
    capsys, tmp_path, text, fragments, chunksize
):
    code, out, err = run(capsys, "profile", write(tmp_path, text), *chunksize)
    line = one_line_error(code, err)
    assert out == ""
    for fragment in fragments:
        assert fragment in line, line


def test_demo_refuses_ragged_rows(capsys, tmp_path):
    text = "a,b,y\n" + "".join(f"{i},{i},{i}\n" for i in range(20)) + "1,2\n"
    code, out, err = run(
        capsys, "demo", "--csv", write(tmp_path, text), "--target", "y"
    )
    assert "line 22" in one_line_error(code, err)


def test_row_check_is_the_same_whatever_the_block_size(monkeypatch, tmp_path):
    """The scan works block by block: a row split across blocks counts once."""
    text = 'a,b,c\r\n1,"x,\r\ny",3,\r\n\r\n  \r\n4,5,6\r\n7,8'
    path = write(tmp_path, text)
    messages = set()
    for block in (1, 2, 3, 5, 1 << 20):
        monkeypatch.setattr(csv_rows, "BLOCK_BYTES", block)
        with pytest.raises(UserError) as raised:
            csv_rows.check_rows(path)
        messages.add(str(raised.value))
    assert len(messages) == 1
    # "7,8": the last line (no line end), the 7th (a quoted line end counts)
    assert "line 7" in messages.pop()


@pytest.mark.parametrize("chunksize", CHUNKED)
def test_a_column_named_twice_is_profiled_once(capsys, tmp_path, chunksize):
    path = write(tmp_path, "a,b\n1,2\n3,5\n4,4\n")
    code, out, err = run(capsys, "profile", path, "--columns", "a,b,a", *chunksize)
    assert code == 0, err
    assert "2 columns profiled" in out.splitlines()[0]
    assert list(profiled(out)) == ["a", "b"]
    code, out, err = run(capsys, "profile", path, "--drop", "b,b", *chunksize)
    assert code == 0, err
    assert list(profiled(out)) == ["a"]


@pytest.mark.parametrize("chunksize", [[], ["--chunksize", "50"]])
def test_codes_that_are_mostly_text_are_a_text_column(capsys, tmp_path, chunksize):
    rng = np.random.default_rng(0)
    letters = np.array(list("ABCDEFGHJKLMNPRSTUVWXYZ"))
    codes = ["".join(rng.choice(letters, 3)) for _ in range(120)]
    codes[7], codes[90] = "0E0", "0E8"  # airport codes that read as numbers
    frame = pd.DataFrame({"code": codes, "delay": rng.lognormal(size=120)})
    path = tmp_path / "flights.csv"
    frame.to_csv(path, index=False)
    code, out, err = run(capsys, "profile", path, *chunksize)
    assert code == 0, err
    assert "skipped text column(s) 'code'" in out
    assert list(profiled(out)) == ["delay"]


def test_numbers_with_a_few_words_are_still_an_error(capsys, tmp_path):
    values = [str(v) for v in range(20)]
    values[13] = "n/a?"
    path = write(
        tmp_path, "a,b\n" + "".join(f"{v},{i}\n" for i, v in enumerate(values))
    )
    code, out, err = run(capsys, "profile", path)
    line = one_line_error(code, err)
    assert "column 'a'" in line and "row 14" in line and "'n/a?'" in line
