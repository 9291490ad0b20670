"""The ``skscale`` command's implementation (the entry point is :mod:`skscale.cli`).

``main`` builds the parser and dispatches; it imports nothing heavier than
argparse, so that ``skscale --help`` and ``skscale --version`` answer before
numpy, pandas or scikit-learn load. Each subcommand imports what it needs when
it runs:

- ``demo``: the command (:mod:`.demo`), its experiment (:mod:`.training`),
  the data it trains on (:mod:`.data`) and its progress line (:mod:`.progress`);
- ``profile``: the command (:mod:`.profile`) and its out-of-core reader
  (:mod:`.chunked`);
- both: PNG pictures (:mod:`.plots`, the only module importing matplotlib) and
  the one-line user errors (:mod:`.errors`).
"""
