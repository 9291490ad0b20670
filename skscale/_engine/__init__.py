"""The engine: fit and transform on every path (dense, blocked, sparse, Dask, xp).

Private. The estimators in :mod:`skscale.preprocessing` state a fit plan, what
they learn and a map; the modules here run them. Nothing here imports the
estimators, the networks or the command. This package's ``__init__`` imports
nothing, so that ``skscale.get_config`` stays light.
"""
