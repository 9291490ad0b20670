"""The ``skscale`` command: the course's exercise and a per-column profile.

This module is the stable entry point (``skscale = "skscale.cli:main"``); the
implementation lives in :mod:`skscale._cli`. ``skscale demo`` trains the same
network on features normalized in several ways with each optimizer and
prints train and validation RMSE; ``skscale profile PATH.csv`` prints
per-column statistics and AutoScaler's choice. ``skscale --help`` lists the
options.
"""

import sys

from skscale._cli.main import main

__all__ = ["main"]

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
