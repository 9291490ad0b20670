"""The ``skscale`` command's parser and dispatch: argparse only, nothing heavy.

A user's mistake (missing file, unknown column, non-numeric column, empty
file, an output directory that cannot be written) prints one line on stderr
and exits with status 2; Ctrl-C, during the imports or the work, prints one
line and exits with status 130.
"""

from __future__ import annotations

import argparse
import sys

from skscale._cli.errors import EXIT_INTERRUPTED, EXIT_USER_ERROR, UserError
from skscale._version import __version__


def _columns(text: str) -> list[str]:
    """A comma-separated list of column names, each once (``a,a`` is ``a``)."""
    names = [name.strip() for name in text.split(",") if name.strip()]
    if not names:
        raise argparse.ArgumentTypeError("expected COLUMN[,COLUMN...]")
    return list(dict.fromkeys(names))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="skscale",
        description="Feature normalization for neural networks on tabular data.",
    )
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {__version__}"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True
    demo = commands.add_parser(
        "demo",
        help="run the course's experiment: normalizations x optimizers",
        description=(
            "Train DropoutMLPRegressor on features normalized by none / linear / "
            "zscore / auto / quantile / ple (the quantile encoders), and the "
            "course's Task 3 mapping on the course's California data, with each "
            "solver (sgd, adagrad, adam, ftrl), and "
            "print train and validation RMSE. Every network trains on the "
            "z-scored target (as TransformedTargetRegressor with StandardScaler "
            "would), and RMSE is reported in the target's units; the course's "
            "California data keeps the course's target, in thousands of dollars, "
            "unscaled. Default data: "
            "scikit-learn's unscaled diabetes data (no download)."
        ),
    )
    demo.add_argument("--csv", metavar="PATH", help="a CSV file with a header row")
    demo.add_argument(
        "--target", metavar="COLUMN", help="the column to predict (with --csv)"
    )
    demo.add_argument(
        "--columns",
        metavar="A,B,...",
        type=_columns,
        help="with --csv: use only these feature columns (each must be numeric)",
    )
    demo.add_argument(
        "--drop",
        metavar="A,B,...",
        type=_columns,
        help="with --csv: leave these columns out (dates, IDs, text)",
    )
    demo.add_argument(
        "--out", metavar="DIR", help="write PNG pictures there (needs matplotlib)"
    )
    demo.add_argument(
        "--quick",
        action="store_true",
        help="fewer splits, no bigger network (the lesson still shows)",
    )
    demo.add_argument("--quiet", action="store_true", help="no progress line on stderr")
    demo.add_argument(
        "--wide",
        action="store_true",
        help="the results table with long labels (over 100 columns)",
    )
    demo.add_argument(
        "--test-csv",
        metavar="PATH",
        help=(
            "with --csv: a separate test file, never used for fitting or choosing; "
            "adds a test RMSE column"
        ),
    )
    demo.set_defaults(run="skscale._cli.demo")

    profile = commands.add_parser(
        "profile",
        help="per-column statistics and AutoScaler's choice",
        description=(
            "Print each numeric column's count, missing values, min, max, mean, "
            "std, skewness, outlier share, and the normalization AutoScaler "
            "chooses for it with the reason. Text columns (more than half of "
            "their values not numbers) are skipped with a note."
        ),
    )
    profile.add_argument("csv", metavar="PATH.csv", help="a CSV file with a header row")
    profile.add_argument(
        "--target",
        metavar="COLUMN",
        help="the column a model will predict: not a feature, so not profiled",
    )
    profile.add_argument(
        "--columns",
        metavar="A,B,...",
        type=_columns,
        help="profile only these columns",
    )
    profile.add_argument(
        "--drop", metavar="A,B,...", type=_columns, help="do not profile these columns"
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
    profile.set_defaults(run="skscale._cli.profile")

    export = commands.add_parser(
        "export",
        help="convert a saved fitted model to ONNX (needs skscale[onnx])",
        description=(
            "Convert a fitted estimator or pipeline saved with joblib/pickle or "
            "skops to an ONNX graph that onnxruntime runs without Python. A "
            "skops file may hold skscale's and scikit-learn's types only; a "
            "pickle runs code as it loads, so export only pickles you made."
        ),
    )
    export.add_argument("model", metavar="MODEL", help="a .joblib, .pkl or .skops file")
    export.add_argument("out", metavar="OUT.onnx", help="the ONNX file to write")
    export.add_argument(
        "--dtype",
        choices=["float32", "float64"],
        default="float32",
        help="the graph's input type (default: %(default)s)",
    )
    export.set_defaults(run="skscale._cli.export")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line on ``argv`` (default: ``sys.argv[1:]``).

    Returns the exit status: 0, 2 for a user's mistake, 130 for Ctrl-C.
    """
    command = "skscale"
    try:
        args = _parser().parse_args(argv)
        command = f"skscale {args.command}"
        # the subcommand's module is imported here, inside the handlers: the
        # seconds of numpy/pandas/scikit-learn imports can be interrupted too
        from importlib import import_module

        import_module(args.run).run(args)
    except UserError as exc:
        print(f"{command}: error: {exc}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print(f"{command}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    return 0
