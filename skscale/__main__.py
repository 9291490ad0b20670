"""``python -m skscale``: the ``skscale`` command."""

import sys

from skscale.cli import main

sys.exit(main())
