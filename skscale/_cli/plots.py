"""PNG pictures for the ``skscale`` command; matplotlib is imported only here."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np

from skscale._cli.errors import UserError

DPI = 80


def require_matplotlib():
    """Import matplotlib with a file-only backend, or raise a one-line UserError."""
    try:
        import matplotlib
    except ImportError:
        raise UserError(
            "--out needs matplotlib, which is not installed: "
            "pip install matplotlib (or, in a source checkout of skscale, "
            "pip install -e '.[plot]')"
        ) from None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def output_dir(path, names) -> Path:
    """Create the output directory and check that ``names`` can be written there.

    Run before any work, so that a directory that cannot be written is a
    one-line UserError at once, not a traceback after minutes of training.
    """
    directory = Path(path)
    try:
        directory.mkdir(parents=True, exist_ok=True)
        # a real write, not os.access: permissions are not the only obstacle
        # (read-only mounts, quotas), and root passes every access check
        with tempfile.NamedTemporaryFile(dir=directory, prefix=".skscale-"):
            pass
    except OSError as exc:
        reason = exc.strerror or exc
        raise UserError(
            f"cannot write to output directory {directory}: {reason}"
        ) from None
    for name in names:
        target = directory / name
        if target.is_dir():
            raise UserError(f"cannot write {target}: it is a directory")
    return directory


def save_figure(fig, path: Path) -> Path:
    """Save ``fig`` as a PNG at ``path`` atomically: a temporary file renamed
    over it, so that an interrupted or failed save leaves no half-written file."""
    path = Path(path)
    handle, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
    )
    os.close(handle)
    try:
        fig.savefig(temporary, dpi=DPI, format="png")
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return path


def plot_histograms(
    raw, normalized: dict, path: Path, *, captions: dict | None = None, bins: int = 30
) -> Path:
    """One row per normalization (the raw data first), one column per feature."""
    plt = require_matplotlib()
    names = [str(c) for c in raw.columns]
    rows = {"raw": np.asarray(raw, dtype=float), **normalized}
    fig, axes = plt.subplots(
        len(rows),
        len(names),
        figsize=(1.7 * len(names) + 1, 1.4 * len(rows) + 0.6),
        squeeze=False,
    )
    for i, (label, values) in enumerate(rows.items()):
        values = np.asarray(values, dtype=float)
        for j, name in enumerate(names):
            ax = axes[i, j]
            column = values[:, j]
            column = column[np.isfinite(column)]
            ax.hist(column, bins=bins, color="C0" if i == 0 else "C1")
            ax.tick_params(labelsize=6)
            ax.set_yticks([])
            if i == 0:
                ax.set_title(name, fontsize=8)
            if j == 0:
                ax.set_ylabel(label, fontsize=8)
    fig.suptitle("Feature histograms before and after normalization", fontsize=10)
    fig.tight_layout()
    save_figure(fig, path)
    plt.close(fig)
    return path


def plot_loss_curves(results, path: Path) -> Path:
    """One panel per solver, one training loss curve per strategy."""
    plt = require_matplotlib()
    solvers = list(dict.fromkeys(r.config.solver for r in results))
    fig, axes = plt.subplots(
        1, len(solvers), figsize=(3.6 * len(solvers), 3.2), squeeze=False
    )
    for ax, solver in zip(axes[0], solvers):
        for result in results:
            config = result.config
            if config.solver != solver or not result.loss_curve:
                continue
            label = config.strategy
            if config.hidden_layer_sizes != (10, 10):
                label += f" {config.network}"
            curve = np.asarray(result.loss_curve, dtype=float)
            ax.plot(np.arange(1, curve.size + 1), curve, label=label)
        ax.set_yscale("log")
        ax.set_title(solver, fontsize=10)
        ax.set_xlabel("epoch", fontsize=8)
        ax.tick_params(labelsize=7)
        ax.legend(fontsize=7)
    axes[0, 0].set_ylabel("training loss (half MSE)", fontsize=8)
    fig.tight_layout()
    save_figure(fig, path)
    plt.close(fig)
    return path
