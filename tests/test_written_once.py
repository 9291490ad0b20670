"""Issue 18: one map per transformer for every namespace, one fit, tags read
once, and AutoScaler's steps on their own columns only."""

from __future__ import annotations

import inspect

import numpy as np
import pytest
from numpy.testing import assert_allclose
from sklearn import config_context
from sklearn.utils import get_tags

from skscale import AutoScaler, LinearScaler
from skscale._engine import _xp_engine
from skscale._engine._core import FitPlan, Map
from skscale._engine._map import into
from skscale.preprocessing import _log
from skscale.preprocessing._base import ColumnwiseTransformer


def _scale_by(xp, X, out, scale):
    return into(xp, out, xp.multiply, X, scale)


class _MaxAbs(ColumnwiseTransformer):
    """A toy elementwise transformer: its math, and nothing registered."""

    _parameter_constraints: dict = {"copy": ["boolean"]}

    def __init__(self, *, copy=True):
        self.copy = copy

    def _fit_plan(self):
        return FitPlan(needs="extremes")

    def _learn(self, summary, quantiles, dtype):
        stats = summary.stats
        largest = np.fmax(np.abs(stats.min), np.abs(stats.max))
        self.scale_ = 1.0 / np.where(largest > 0, largest, 1.0)

    def _map(self):
        return Map(
            _scale_by, (self.scale_,), inverse=Map(_scale_by, (1 / self.scale_,))
        )


def _count_calls(monkeypatch, module) -> list:
    """Record each call to a function defined in ``module``."""
    calls = []
    for name, function in vars(module).items():
        if inspect.isfunction(function) and function.__module__ == module.__name__:

            def counted(*args, _function=function, _name=name, **kwargs):
                calls.append(_name)
                return _function(*args, **kwargs)

            monkeypatch.setattr(module, name, counted)
    return calls


def test_numpy_transform_makes_at_most_two_calls_into_device_code(monkeypatch):
    X = np.random.default_rng(0).normal(size=(50, 3))
    scaler = LinearScaler().fit(X)
    calls = _count_calls(monkeypatch, _xp_engine)
    scaler.transform(X)
    assert len(calls) <= 2, calls


def test_tag_reads_do_no_work_after_the_first(monkeypatch):
    plans = []
    original = LinearScaler._fit_plan

    def counted(self):
        plans.append(self)
        return original(self)

    monkeypatch.setattr(LinearScaler, "_fit_plan", counted)
    scaler = LinearScaler(feature_range=(-3.0, 7.0))
    first = get_tags(scaler)
    plans.clear()
    for _ in range(5):
        assert get_tags(scaler) == first
        get_tags(LinearScaler(feature_range=(-3.0, 7.0)))
    assert not plans


def test_new_elementwise_transformer_runs_on_any_namespace_unregistered():
    xp = pytest.importorskip("array_api_strict")
    X = np.random.default_rng(0).normal(size=(40, 3))
    X[3, 1] = np.nan
    toy = _MaxAbs()
    assert get_tags(toy).array_api_support
    expected = toy.fit_transform(X)
    assert_allclose(np.nanmax(np.abs(expected), axis=0), 1.0)
    with config_context(array_api_dispatch=True):
        on_device = _MaxAbs().fit(xp.asarray(X))
        out = on_device.transform(xp.asarray(X))
        back = on_device.inverse_transform(out)
    assert_allclose(np.asarray(out), expected)
    assert_allclose(np.asarray(back), X)


def test_numpy_only_maps_say_so_and_are_refused_on_a_device():
    from skscale.preprocessing import PiecewiseLinearEncoder, QuantileNormalizer

    for estimator in (QuantileNormalizer(n_quantiles=5), PiecewiseLinearEncoder()):
        X = np.random.default_rng(0).normal(size=(30, 2))
        assert not estimator.fit(X)._map().array_api
        assert not get_tags(estimator).array_api_support


def test_autoscaler_logs_only_its_log_columns(monkeypatch):
    logged_sizes = []
    original = _log._log1p

    def recorded(*args):
        values = next(a for a in args if isinstance(a, np.ndarray))
        if values.shape[0] > 5:  # not the map's probe (0, NaN, ±inf, -offset)
            logged_sizes.append(values.size)
        return original(*args)

    monkeypatch.setattr(_log, "_log1p", recorded)
    rng = np.random.default_rng(0)
    X = rng.normal(size=(3000, 8))
    X[:, [1, 2, 6]] = rng.lognormal(sigma=1.5, size=(3000, 3))
    scaler = AutoScaler().fit(X)
    assert [s.startswith("log") for s in scaler.strategies_].count(True) == 3
    logged_sizes.clear()
    out = scaler.transform(X)
    assert sum(logged_sizes) == 3000 * 3
    expected = LinearScaler().fit_transform(np.log1p(X[:, [1, 2, 6]]))
    assert_allclose(out[:, [1, 2, 6]], expected, atol=1e-12)
