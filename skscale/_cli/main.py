"""The ``skscale`` command: the course's exercise and a per-column profile.

``skscale demo`` trains the same network on features normalized in several
ways (none, linear, z-score, AutoScaler, and the course's Task 3 mapping on
the course's data) with each optimizer, and prints train and validation RMSE.
``skscale profile PATH.csv`` prints per-column statistics and AutoScaler's
choice. A user's mistake (missing file, unknown column, non-numeric column,
empty file) prints one line on stderr and exits with status 2.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

from skscale._cli_data import UserError

EXIT_USER_ERROR = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports Ctrl-C
DEMO_PICTURES = ("histograms.png", "loss_curves.png")
PROFILE_PICTURES = ("histograms.png",)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="skscale",
        description="Feature normalization for neural networks on tabular data.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True
    demo = commands.add_parser(
        "demo",
        help="run the course's experiment: normalizations x optimizers",
        description=(
            "Train DropoutMLPRegressor on features normalized by none / linear / "
            "zscore / auto (and the course's Task 3 mapping on the course's "
            "California data) with each solver (sgd, adagrad, adam, ftrl), and "
            "print train and validation RMSE. Default data: scikit-learn's "
            "unscaled diabetes data (no download)."
        ),
    )
    demo.add_argument("--csv", metavar="PATH", help="a CSV file of numeric columns")
    demo.add_argument(
        "--target", metavar="COLUMN", help="the column to predict (with --csv)"
    )
    demo.add_argument(
        "--out", metavar="DIR", help="write PNG pictures there (needs matplotlib)"
    )
    demo.add_argument(
        "--quick", action="store_true", help="fewer epochs, no bigger network"
    )
    demo.set_defaults(run=_run_demo)

    profile = commands.add_parser(
        "profile",
        help="per-column statistics and AutoScaler's choice",
        description=(
            "Print each column's count, missing values, min, max, mean, std, "
            "skewness, outlier share, and the normalization AutoScaler chooses "
            "for it with the reason."
        ),
    )
    profile.add_argument(
        "csv", metavar="PATH.csv", help="a CSV file of numeric columns"
    )
    profile.add_argument(
        "--out", metavar="DIR", help="write histograms.png there (needs matplotlib)"
    )
    profile.add_argument(
        "--skew-threshold", type=float, default=1.0, help="default: %(default)s"
    )
    profile.add_argument(
        "--outlier-threshold", type=float, default=0.01, help="default: %(default)s"
    )
    profile.add_argument(
        "--scaler",
        choices=["linear", "zscore"],
        default="linear",
        help="default: %(default)s",
    )
    profile.add_argument(
        "--chunksize",
        type=int,
        metavar="ROWS",
        help=(
            "read the CSV in chunks of ROWS rows (two passes, bounded memory); "
            "files over 256 MB are always read in chunks"
        ),
    )
    profile.set_defaults(run=_run_profile)
    return parser


def main(argv=None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        args.run(args)
    except UserError as exc:
        print(f"skscale {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print(f"skscale {args.command}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    return 0


def _run_demo(args) -> None:
    from skscale import _cli_data, _cli_demo

    if (args.csv is None) != (args.target is None):
        raise UserError("--csv PATH and --target COLUMN go together")
    if args.out is not None:
        from skscale._cli_plots import output_dir, require_matplotlib

        require_matplotlib()
        out = output_dir(args.out, DEMO_PICTURES)
    if args.csv is None:
        dataset = _cli_data.diabetes_dataset()
    else:
        dataset = _cli_data.csv_dataset(args.csv, args.target)
    print(
        f"data: {dataset.name}; target: {dataset.target}; "
        f"{len(dataset.X_train)} training rows, {len(dataset.X_valid)} validation "
        f"rows, {dataset.X_train.shape[1]} features"
        + (f" ({dataset.note})" if dataset.note else ""),
        flush=True,
    )
    start = time.perf_counter()
    results = _cli_demo.run_demo(dataset, quick=args.quick)
    print(_cli_demo.format_table(results, course=dataset.is_course))
    print(f"total time: {time.perf_counter() - start:.1f}s")
    if args.out is not None:
        _write_demo_pictures(dataset, results, out)


def _write_demo_pictures(dataset, results, out) -> None:
    from sklearn.base import clone

    from skscale._cli_demo import normalizers
    from skscale._cli_plots import plot_histograms, plot_loss_curves

    normalized = {
        name: clone(transformer).fit(dataset.X_train).transform(dataset.X_train)
        for name, transformer in normalizers(dataset).items()
        if transformer is not None
    }
    written = [
        plot_histograms(dataset.X_train, normalized, out / DEMO_PICTURES[0]),
        plot_loss_curves(results, out / DEMO_PICTURES[1]),
    ]
    for path in written:
        print(f"wrote {path}")


def _run_profile(args) -> None:

    from skscale import AutoScaler
    from skscale._cli_data import read_numeric_csv

    if args.chunksize is not None and args.chunksize < 1:
        raise UserError(
            f"--chunksize must be a positive number of rows; got {args.chunksize}"
        )
    for name in ("skew_threshold", "outlier_threshold"):
        value = getattr(args, name)
        if not value >= 0 or (name == "outlier_threshold" and value > 1):
            flag = "--" + name.replace("_", "-")
            raise UserError(f"{flag} must be >= 0 (and <= 1 for a share); got {value}")
    if args.out is not None:
        from skscale._cli_plots import output_dir, require_matplotlib

        require_matplotlib()
        out = output_dir(args.out, PROFILE_PICTURES)
    scaler = AutoScaler(
        skew_threshold=args.skew_threshold,
        outlier_threshold=args.outlier_threshold,
        scaler=args.scaler,
    )
    if _read_in_chunks(args):
        _run_chunked_profile(args, scaler)
        return
    frame = read_numeric_csv(args.csv)
    try:
        scaler.fit(frame)
    except ValueError as exc:  # ±inf in a column: the message names it
        raise UserError(str(exc).splitlines()[0]) from None
    report = scaler.report()
    print(f"{args.csv}: {len(frame)} rows, {frame.shape[1]} columns")
    _print_report(report)
    if args.out is not None:
        from skscale._cli_plots import plot_histograms

        path = plot_histograms(
            frame, {"auto": scaler.transform(frame)}, out / PROFILE_PICTURES[0]
        )
        print(f"wrote {path}")


def _read_in_chunks(args) -> bool:
    from skscale._cli_profile import CHUNKED_ABOVE_BYTES

    if args.chunksize is not None:
        return True
    try:
        return Path(args.csv).stat().st_size > CHUNKED_ABOVE_BYTES
    except OSError:
        return False  # the whole-file reader reports the problem


def _run_chunked_profile(args, scaler) -> None:
    from skscale._cli_data import read_numeric_csv
    from skscale._cli_profile import DEFAULT_CHUNK_ROWS, profile_csv_in_chunks
    from skscale.preprocessing._auto import profile_report

    if args.out is not None:
        raise UserError("--out needs the whole file in memory; drop --chunksize")
    path = Path(args.csv)
    if not path.is_file():
        read_numeric_csv(path)  # raises the one-line error for this path
    rows = args.chunksize or DEFAULT_CHUNK_ROWS
    columns, profile, n_chunks, n_rows = profile_csv_in_chunks(path, rows)
    if np.isinf(profile.min).any() or np.isinf(profile.max).any():
        bad = [
            c
            for c, lo, hi in zip(columns, profile.min, profile.max)
            if np.isinf(lo) or np.isinf(hi)
        ]
        raise UserError(f"column(s) {bad} of {path} hold infinite values")
    strategies, reasons = scaler._choose(profile)
    report = profile_report(profile, strategies, reasons, columns)
    print(
        f"{args.csv}: {n_rows} rows, {len(columns)} columns "
        f"(read in {n_chunks} chunks of {rows} rows; quartiles from a merged sketch)"
    )
    _print_report(report)


def _print_report(report) -> None:
    import pandas as pd

    numbers = report.drop(columns="reason")
    with pd.option_context("display.width", 200, "display.max_columns", None):
        print(numbers.to_string(float_format=lambda v: f"{v:.4g}"))
    print("\nwhy:")
    for name, reason in report["reason"].items():
        print(f"  {name}: {reason}")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
