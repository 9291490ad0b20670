"""``skscale demo``: the command around the experiment of :mod:`.training`."""

from __future__ import annotations

import time

from skscale._cli.errors import UserError

PICTURES = ("histograms.png", "loss_curves.png")


def run(args) -> None:
    """Run ``skscale demo`` with parsed arguments ``args``."""
    if (args.csv is None) != (args.target is None):
        raise UserError("--csv PATH and --target COLUMN go together")
    if args.test_csv is not None and args.csv is None:
        raise UserError("--test-csv needs --csv PATH and --target COLUMN")
    if (args.columns or args.drop) and args.csv is None:
        raise UserError("--columns and --drop choose columns of --csv PATH")
    out = None
    if args.out is not None:
        # before any work: a directory that cannot be written is an error now,
        # not after the training
        from skscale._cli.plots import output_dir, require_matplotlib

        require_matplotlib()
        out = output_dir(args.out, PICTURES)
    from skscale._cli import data, table, training
    from skscale._cli.progress import Progress

    if args.csv is None:
        dataset = data.diabetes_dataset()
    else:
        dataset = data.csv_dataset(
            args.csv, args.target, keep=args.columns, drop=args.drop
        )
    test = None
    if args.test_csv is not None:
        from skscale._cli.holdout import read_test_set

        test = read_test_set(args.test_csv, args.target, dataset)
    print(
        f"data: {dataset.name}; target: {dataset.target}"
        + (
            " (z-scored for training, RMSE in its units)"
            if dataset.scale_target
            else ""
        )
        + "; "
        f"{len(dataset.X_train)} training rows, {len(dataset.X_valid)} validation "
        f"rows, {dataset.X_train.shape[1]} features"
        + (f" ({dataset.note})" if dataset.note else ""),
        flush=True,
    )
    if test is not None:
        print(
            f"test: {test.name}, {len(test.X)} rows, evaluated once per "
            "configuration after training" + (f" ({test.note})" if test.note else ""),
            flush=True,
        )
    start = time.perf_counter()
    configs = training.configurations(dataset, quick=args.quick)
    n_splits = training.n_repeats(dataset, quick=args.quick)
    progress = Progress(len(configs) * n_splits, quiet=args.quiet)
    try:
        results = training.run_demo(dataset, configs, n_splits, progress, test=test)
    except BaseException:
        progress.abandon()
        raise
    progress.close()
    print(table.format_table(results, course=dataset.is_course, wide=args.wide))
    print(f"total time: {time.perf_counter() - start:.1f}s")
    if out is not None:
        _write_pictures(dataset, results, out)


def _write_pictures(dataset, results, out) -> None:
    from sklearn.base import clone

    from skscale._cli.plots import plot_histograms, plot_loss_curves
    from skscale._cli.training import normalizers

    fitted = {
        name: clone(transformer).fit(dataset.X_train)
        for name, transformer in normalizers(dataset).items()
        if transformer is not None
    }
    # one histogram per input column: encoders with a column per bin are left out
    fitted = {
        name: transformer
        for name, transformer in fitted.items()
        if len(transformer.get_feature_names_out()) == dataset.X_train.shape[1]
    }
    columns = list(dataset.X_train.columns)
    normalized = {
        name: _in_order(transformer, transformer.transform(dataset.X_train), columns)
        for name, transformer in fitted.items()
    }
    written = [
        plot_histograms(
            dataset.X_train,
            normalized,
            out / PICTURES[0],
            captions=_chosen_strategies(fitted, dataset.X_train.columns),
        ),
        plot_loss_curves(results, out / PICTURES[1]),
    ]
    for path in written:
        print(f"wrote {path}")


def _in_order(transformer, values, columns):
    """The output's columns in the input's order: a ColumnTransformer (the
    course's Task 3) outputs its groups one after the other."""
    import numpy as np

    try:
        names = [str(n) for n in transformer.get_feature_names_out()]
    except (AttributeError, ValueError):
        return values
    if names == columns or sorted(names) != sorted(columns):
        return values
    return np.asarray(values)[:, [names.index(c) for c in columns]]


def _chosen_strategies(fitted: dict, columns) -> dict:
    """Row label -> one caption per column: what AutoScaler chose for it."""
    auto = fitted.get("auto")
    if auto is None or not hasattr(auto, "strategies_"):
        return {}
    return {"auto": [str(s) for s in auto.strategies_]}
