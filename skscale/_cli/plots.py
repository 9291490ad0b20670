"""PNG pictures for the ``skscale`` command; matplotlib is imported only here."""

from __future__ import annotations

import math
import os
import tempfile
from pathlib import Path

import numpy as np

from skscale._cli.errors import UserError

DPI = 150


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
        # mkstemp makes the file private (0600); give it what open() would
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return path


def compact_number(value, _position=None) -> str:
    """A tick label of at most about five characters: 500k, 1.5M, 0.25, -3."""
    magnitude = abs(value)
    for limit, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if magnitude >= limit:
            return f"{value / limit:.3g}{suffix}"
    return f"{value:.3g}"


def _sparse_minor_label(value, _position=None) -> str:
    """Log-scale minor ticks labelled at 2 and 5 only: 9 labels a decade overlap."""
    if value <= 0:
        return ""
    leading = round(value / 10 ** math.floor(math.log10(value)))
    return compact_number(value) if leading in (2, 5) else ""


def _readable_ticks(ax, fontsize: float = 7) -> None:
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(nbins=4))
    ax.xaxis.set_major_formatter(FuncFormatter(compact_number))
    ax.yaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
    ax.yaxis.set_major_formatter(FuncFormatter(compact_number))
    ax.tick_params(labelsize=fontsize)


def plot_histograms(
    raw,
    normalized: dict,
    path: Path,
    *,
    captions: dict | None = None,
    fitted_on: str = "the training rows",
    bins: int = 30,
) -> Path:
    """One row per normalization (the raw data first), one column per feature.

    Every panel has its axes labelled (the values it shows, the row count)
    and compact tick labels; ``captions`` maps a row to one text per column,
    written under that row's histograms (AutoScaler's chosen strategy).
    """
    plt = require_matplotlib()
    captions = captions or {}
    names = [str(c) for c in raw.columns]
    rows = {"raw": np.asarray(raw, dtype=float), **normalized}
    fig, axes = plt.subplots(
        len(rows),
        len(names),
        figsize=(2.3 * len(names) + 0.5, 2.1 * len(rows) + 0.8),
        squeeze=False,
    )
    for i, (label, values) in enumerate(rows.items()):
        values = np.asarray(values, dtype=float)
        for j, name in enumerate(names):
            ax = axes[i, j]
            column = values[:, j]
            ax.hist(column[np.isfinite(column)], bins=bins, color=f"C{min(i, 1)}")
            _readable_ticks(ax)
            ax.set_title(f"{name}: {label}", fontsize=8)
            xlabel = "value" if i == 0 else f"{label} value"
            if label in captions:
                xlabel += f"\nAutoScaler chose: {captions[label][j]}"
            ax.set_xlabel(xlabel, fontsize=7)
            ax.set_ylabel("rows", fontsize=7)
    fig.suptitle(
        "Feature histograms before (raw) and after each normalization, "
        f"fitted on {fitted_on}",
        fontsize=10,
    )
    fig.tight_layout()
    save_figure(fig, path)
    plt.close(fig)
    return path


def _distinct_colors(plt, count: int) -> list:
    """``count`` colors, none of them grey (the legend's line styles are drawn
    in black): tab10 without its grey, then tab20's lighter shades."""
    tab10 = [c for i, c in enumerate(plt.get_cmap("tab10").colors) if i != 7]
    lighter = [c for i, c in enumerate(plt.get_cmap("tab20").colors) if i % 2]
    lighter = [c for i, c in enumerate(lighter) if i != 7]
    palette = tab10 + lighter
    return [palette[i % len(palette)] for i in range(count)]


def plot_loss_curves(results, path: Path) -> Path:
    """One panel per solver: training (solid) and validation (dashed) loss per
    normalization, on a log scale; the legend sits below the panels.

    The course's [10, 10] networks share a panel per solver; the wider
    networks (trained for more epochs) get a panel of their own, so that a
    150-epoch curve does not squeeze the 30-epoch ones.
    """
    plt = require_matplotlib()
    from matplotlib.lines import Line2D
    from matplotlib.ticker import FuncFormatter

    def panel(config) -> str:
        if config.hidden_layer_sizes == (10, 10):
            return config.solver
        return "wider networks"

    def label(config) -> str:
        if config.hidden_layer_sizes == (10, 10):
            return config.strategy
        return f"{config.strategy} + {config.solver} {config.network}"

    drawn = [r for r in results if r.loss_curve]
    panels = list(dict.fromkeys(panel(r.config) for r in drawn))
    labels = list(dict.fromkeys(label(r.config) for r in drawn))
    colors = dict(zip(labels, _distinct_colors(plt, len(labels))))
    fig, axes = plt.subplots(
        1, len(panels), figsize=(3.8 * len(panels), 3.6), squeeze=False
    )
    for ax, name in zip(axes[0], panels):
        for result in drawn:
            config = result.config
            if panel(config) != name:
                continue
            color = colors[label(config)]
            curve = np.asarray(result.loss_curve, dtype=float)
            ax.plot(np.arange(1, curve.size + 1), curve, color=color)
            valid = np.asarray(result.valid_curve, dtype=float)
            if valid.size:
                epochs = np.arange(1, valid.size + 1)
                ax.plot(epochs, valid, color=color, linestyle="--")
        ax.set_yscale("log")
        ax.set_title(name, fontsize=10)
        ax.set_xlabel("epoch", fontsize=8)
        ax.set_ylabel("loss (half MSE)", fontsize=8)
        # log-scale minor ticks get labels too: the same compact format
        ax.yaxis.set_major_formatter(FuncFormatter(compact_number))
        ax.yaxis.set_minor_formatter(FuncFormatter(_sparse_minor_label))
        ax.tick_params(which="both", labelsize=7)
        ax.grid(True, which="major", alpha=0.3)
    handles = [Line2D([], [], color=c, label=name) for name, c in colors.items()]
    handles += [
        Line2D([], [], color="black", label="training"),
        Line2D([], [], color="black", linestyle="--", label="validation"),
    ]
    columns = min(len(handles), 6)
    rows = math.ceil(len(handles) / columns)
    fig.legend(
        handles=handles, loc="lower center", ncol=columns, fontsize=8, frameon=False
    )
    fig.suptitle("Loss per epoch by solver and normalization", fontsize=10)
    fig.tight_layout(rect=(0, 0.06 * rows + 0.02, 1, 1))
    save_figure(fig, path)
    plt.close(fig)
    return path
