"""``skscale profile``: per-column statistics and AutoScaler's choice.

Columns are chosen by ``--columns`` (default: all), minus ``--drop`` and the
``--target`` (what a model predicts is not a feature to normalize). A text
column (more than half of its values are not numbers, such as codes of
which a few read as numbers, ``0E8``) is skipped with a note; a column of
numbers with some text is an error naming the first bad row, since that is
a mistake in the data rather than a column of another kind.

Every number is printed the same way (:func:`format_number`), and outlier
shares are percentages in the table as in the reasons.
"""

from __future__ import annotations

import math
from pathlib import Path

from skscale._cli.errors import UserError

PICTURES = ("histograms.png",)
SIGNIFICANT_DIGITS = 4


def run(args) -> None:
    """Run ``skscale profile`` with parsed arguments ``args``."""
    _check_arguments(args)
    out = None
    if args.out is not None:
        if args.chunksize is not None:
            raise UserError("--out needs the whole file in memory; drop --chunksize")
        from skscale._cli.plots import output_dir, require_matplotlib

        require_matplotlib()
        out = output_dir(args.out, PICTURES)
    from skscale import AutoScaler

    scaler = AutoScaler(
        skew_threshold=args.skew_threshold,
        outlier_threshold=args.outlier_threshold,
        scaler=args.scaler,
    )
    if _read_in_chunks(args):
        _run_chunked(args, scaler)
        return
    from skscale._cli.data import numeric_columns, read_csv

    frame = read_csv(args.csv)
    columns, skipped = _choose_columns(frame, args)
    frame = numeric_columns(frame[columns], args.csv)
    try:
        scaler.fit(frame)
    except ValueError as exc:  # ±inf in a column: the message names it
        raise UserError(str(exc).splitlines()[0]) from None
    print(f"{args.csv}: {len(frame)} rows, {frame.shape[1]} columns profiled")
    _print_skipped(skipped, args)
    _print_report(scaler.report())
    if out is not None:
        from skscale._cli.plots import plot_histograms

        path = plot_histograms(
            frame,
            {"auto": scaler.transform(frame)},
            out / PICTURES[0],
            captions={"auto": list(scaler.strategies_)},
            fitted_on="the whole file",
        )
        print(f"wrote {path}")


def _check_arguments(args) -> None:
    if args.chunksize is not None and args.chunksize < 1:
        raise UserError(
            f"--chunksize must be a positive number of rows; got {args.chunksize}"
        )
    for name in ("skew_threshold", "outlier_threshold"):
        value = getattr(args, name)
        if not value >= 0 or (name == "outlier_threshold" and value > 1):
            flag = "--" + name.replace("_", "-")
            raise UserError(f"{flag} must be >= 0 (and <= 1 for a share); got {value}")


def _choose_columns(frame, args):
    """``(columns to profile, text columns skipped)`` for the first rows read."""
    from skscale._cli.data import select_columns, text_columns

    selected = select_columns(
        frame.columns, args.csv, target=args.target, keep=args.columns, drop=args.drop
    )
    skipped = text_columns(frame[selected])
    columns = [c for c in selected if c not in skipped]
    if not columns:
        raise UserError(
            f"no numeric columns to profile in {args.csv} (text: "
            f"{', '.join(map(repr, skipped))})"
        )
    return columns, skipped


def _print_skipped(skipped, args) -> None:
    if args.target is not None:
        print(f"target {args.target!r}: not profiled (a model predicts it)")
    if skipped:
        names = ", ".join(map(repr, skipped))
        print(f"skipped text column(s) {names}: encode them as numbers to profile")


def _read_in_chunks(args) -> bool:
    from skscale._cli.chunked import CHUNKED_ABOVE_BYTES

    if args.chunksize is not None:
        return True
    try:
        return Path(args.csv).stat().st_size > CHUNKED_ABOVE_BYTES
    except OSError:
        return False  # the whole-file reader reports the problem


def _run_chunked(args, scaler) -> None:
    from skscale._cli.chunked import DEFAULT_CHUNK_ROWS, profile_csv_in_chunks
    from skscale._cli.data import read_csv

    if args.out is not None:
        raise UserError("--out needs the whole file in memory; drop --chunksize")
    path = Path(args.csv)
    if not path.is_file():
        read_csv(path)  # raises the one-line error for this path
    rows = args.chunksize or DEFAULT_CHUNK_ROWS
    skipped = []

    def choose(first_chunk):
        columns, text = _choose_columns(first_chunk, args)
        skipped.extend(text)
        return columns

    result = profile_csv_in_chunks(path, rows, choose, scaler)
    print(
        f"{args.csv}: {result.n_rows} rows, {len(result.columns)} columns profiled "
        f"(read in {result.n_chunks} chunks of {rows} rows; quartiles from a "
        "merged sketch)"
    )
    _print_skipped(skipped, args)
    _print_report(result.report)


def format_number(value) -> str:
    """``SIGNIFICANT_DIGITS`` significant digits, one notation for every number.

    Positional with thousands separators from 1e-4 to 1e15 (``15,000``,
    ``37,940``, ``0.01230``), scientific beyond (``1.000e+23``); integers
    (counts) as integers.
    """
    if isinstance(value, int) or (hasattr(value, "dtype") and value.dtype.kind in "iu"):
        return f"{int(value):,}"
    value = float(value)
    if not math.isfinite(value):
        return str(value)
    if value == 0:
        return "0"
    magnitude = math.floor(math.log10(abs(value)))
    if -4 <= magnitude < 15:
        decimals = max(0, SIGNIFICANT_DIGITS - 1 - magnitude)
        return f"{value:,.{decimals}f}"
    return f"{value:.{SIGNIFICANT_DIGITS - 1}e}"


def _print_report(report) -> None:
    table = report.drop(columns="reason").rename(
        columns={"outlier_share": "outliers %"}
    )
    table["outliers %"] = table["outliers %"] * 100  # the reasons' unit
    header = ["column", *table.columns]
    rows = [
        [str(name)] + [v if isinstance(v, str) else format_number(v) for v in row]
        for name, row in zip(table.index, table.itertuples(index=False))
    ]
    widths = [max(len(str(x)) for x in column) for column in zip(header, *rows)]
    # names and words to the left, numbers to the right
    left = [True] + [table[c].dtype == object for c in table.columns]
    for line in [header, *rows]:
        cells = [
            x.ljust(w) if is_left else x.rjust(w)
            for x, w, is_left in zip(line, widths, left)
        ]
        print("  ".join(cells).rstrip())
    print("\nwhy:")
    for name, reason in report["reason"].items():
        print(f"  {name}: {reason}")
