"""The demo's results as a plain-text table."""

from __future__ import annotations

import math
import textwrap

import numpy as np

from skscale._cli.training import COURSE_REFERENCE_RMSE, SOLVER_OPTIONS, Result

FTRL_L1 = SOLVER_OPTIONS["ftrl"]["ftrl_l1"]

# A run is "still improving" when its mean training loss over the last tenth
# of its epochs is lower than over the tenth before by more than this share.
IMPROVING = 0.02


def still_improving(loss_curve) -> bool:
    """Whether a training loss curve was still falling when training stopped.

    Compares the mean loss over the last tenth of the epochs (at least 2) with
    the mean over the tenth before it, so that mini-batch noise in one epoch
    does not decide.
    """
    curve = np.asarray(loss_curve, dtype=float)
    window = max(2, curve.size // 10)
    if curve.size < 2 * window or not np.all(np.isfinite(curve[-2 * window :])):
        return False
    before = curve[-2 * window : -window].mean()
    last = curve[-window:].mean()
    return bool(before - last > IMPROVING * abs(last))


# The default table fits a terminal of this many columns; --wide keeps the
# long labels (and the course's min and max) on one line per run.
NARROW = 100
# Words of the network column shortened in the narrow table, and the key
# printed under it when one was used.
SHORT_NETWORK = {" dropout ": " d", " cosine": " cos", " float32": " f32"}
NETWORK_KEY = "network: d = dropout, cos = cosine schedule, f32 = float32"


def format_table(results: list[Result], *, course: bool, wide: bool = False) -> str:
    """A plain-text table of the results, best validation RMSE marked.

    A run whose training loss still fell at the end (:func:`still_improving`)
    is marked ``†``: it stopped before converging, so its RMSE says how far
    it got in its epochs, not what the normalization allows.

    The table fits :data:`NARROW` columns (short headers, network labels and
    the course's median only, notes wrapped); ``wide=True`` keeps the long
    labels and the course's minimum, median and maximum with the cell's name.
    """
    n_splits = max((r.n_splits for r in results), default=1)
    rmse = "RMSE" if wide else ""
    valid_header = f"valid {rmse}".strip()
    if n_splits > 1:
        valid_header += " (mean ± sd)"
    header = [
        "strategy",
        "solver",
        "network",
        f"train {rmse}".strip(),
        valid_header,
        "time (s)" if wide else "s",
    ]
    # a separate test file (--test-csv): evaluated once, never used to choose
    has_test = any(math.isfinite(r.test_rmse) or r.test_note for r in results)
    if has_test:
        header.append(f"test {rmse}".strip())
    if course:
        header.append("course valid RMSE min/median/max" if wide else "course median")
    valid = np.array([r.valid_rmse for r in results], dtype=float)
    best = int(np.nanargmin(valid)) if np.isfinite(valid).any() else -1
    rows, shortened = [], False
    for i, result in enumerate(results):
        config = result.config
        network = config.network + (
            f" dropout {config.dropout:g}" if config.dropout else ""
        )
        if not wide:
            long = network
            for word, short in SHORT_NETWORK.items():
                network = network.replace(word, short)
            shortened |= network != long
        row = [
            config.strategy,
            config.solver,
            network,
            _number(result.train_rmse),
            _number(result.valid_rmse)
            + (f" ± {result.valid_std:.1f}" if result.n_splits > 1 else "")
            + (" †" if still_improving(result.loss_curve) else "")
            + (" *" if i == best else ""),
            f"{result.seconds:.1f}",
        ]
        if has_test:
            row.append("n/a ‡" if result.test_note else _number(result.test_rmse))
        if course:
            reference = COURSE_REFERENCE_RMSE.get((config.strategy, config.solver))
            if reference and config.hidden_layer_sizes == (10, 10):
                label, low, median, high = reference
                row.append(f"{low} / {median} / {high} ({label})" if wide else median)
            else:
                row.append("")
        rows.append(row)
    widths = [max(len(str(x)) for x in column) for column in zip(header, *rows)]
    lines = [
        "| " + " | ".join(h.ljust(w) for h, w in zip(header, widths)) + " |",
        "|" + "|".join("-" * (w + 2) for w in widths) + "|",
    ]
    lines += [
        "| " + " | ".join(str(x).ljust(w) for x, w in zip(row, widths)) + " |"
        for row in rows
    ]
    notes = [
        f"- {r.config.strategy} + {r.config.solver}: {r.note}"
        for r in results
        if r.note
    ]
    if best >= 0:
        lines.append("* lowest validation RMSE")
    if not wide:
        lines.append(
            "train, valid" + (", test" if has_test else "") + ": RMSE; s: seconds"
        )
        if course:
            lines.append(
                "course median: of the course learners' runs of the same cell "
                "(--wide: min / median / max and the cell's name)"
            )
        if shortened:
            lines.append(NETWORK_KEY)
    if any(r.config.solver == "ftrl" for r in results):
        lines.append(
            f"ftrl: FTRL-Proximal with L1 {FTRL_L1:g} (with no L1 or L2 it takes "
            "exactly Adagrad's steps)"
        )
    if any(still_improving(r.loss_curve) for r in results):
        lines.append(
            "† still improving when training stopped (mean training loss of the "
            f"last tenth of epochs {IMPROVING:.0%} below the tenth before): "
            "not converged"
        )
    if any(r.test_note for r in results):
        lines.append(
            "‡ the fitted normalizer cannot map a test value (see below); "
            "training and validation are unaffected"
        )
    notes += [
        f"- {r.config.strategy} + {r.config.solver}: test file: {r.test_note}"
        for r in results
        if r.test_note
    ]
    if n_splits > 1:
        lines.append(
            f"RMSE: mean over {n_splits} shuffled train/validation splits; "
            "time: total over them"
        )
    lines += notes
    if not wide:  # the notes are prose: wrapped, continuation lines indented
        lines = [
            wrapped
            for line in lines
            for wrapped in (
                [line]
                if line.startswith("|")
                else textwrap.wrap(line, NARROW, subsequent_indent="  ")
            )
        ]
    return "\n".join(lines)


def _number(value: float) -> str:
    return "nan" if not math.isfinite(value) else f"{value:.1f}"
