"""The engine: fit and transform on every path (dense, blocked, sparse, Dask, xp).

Private. The estimators in :mod:`skscale.preprocessing` state a fit plan, what
they learn and a map; the modules here run them. This package's ``__init__``
imports nothing, so that ``skscale.get_config`` stays light.

Layers, lowest first; a module imports only from its own layer or lower
ones, function-level imports included, and no two modules import each other
(``tests/test_layers.py`` parses every import and checks this order):

1. ``skscale._version``, ``skscale._compat`` (scikit-learn's private names);
2. the engine, itself layered:
   ``_config``; ``_map``, ``_sparse``, ``_input``, ``_dask`` (leaves);
   ``_kernels`` (blocked, threaded NumPy loops); ``_sketch``; ``_stats``;
   ``_validation``, ``_xp_stats`` (statistics over any namespace);
   ``_probe``, ``_xp_engine`` (device plumbing); ``_checks``; ``_core``
   (fit and transform);
3. the estimators: ``skscale.preprocessing`` (``_base`` under the
   transformers), then ``skscale.neural_network``, then their ONNX
   converters, ``skscale.onnx``;
4. the public face, ``skscale`` (its ``__init__``);
5. the command: ``skscale._cli``, ``skscale.cli``, ``skscale.__main__``.
"""

# The layers above, lowest first, as tests/test_layers.py reads them.
LAYERS = (
    ("skscale._version", "skscale._compat"),
    ("skscale._engine", "skscale._engine._config"),
    (
        "skscale._engine._map",
        "skscale._engine._sparse",
        "skscale._engine._input",
        "skscale._engine._dask",
    ),
    ("skscale._engine._kernels",),
    ("skscale._engine._sketch",),
    ("skscale._engine._stats",),
    ("skscale._engine._validation", "skscale._engine._xp_stats"),
    ("skscale._engine._probe", "skscale._engine._xp_engine"),
    ("skscale._engine._checks",),
    ("skscale._engine._core",),
    ("skscale.preprocessing.*",),
    ("skscale.neural_network.*",),
    ("skscale.onnx.*",),
    ("skscale",),
    ("skscale._cli.*", "skscale.cli", "skscale.__main__"),
)
