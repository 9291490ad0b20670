"""``skscale demo`` trains its runs in parallel processes (issue 20, item 4)."""

import numpy as np

from skscale._cli import data, training


class Counter:
    def __init__(self):
        self.steps = 0

    def describe(self, label):
        pass

    def step(self):
        self.steps += 1


def test_parallel_runs_equal_sequential_ones_in_the_configurations_order():
    dataset = data.diabetes_dataset()
    configs = [
        training.Config("zscore", "adam", learning_rate=0.01, epochs=3),
        training.Config("linear", "sgd", learning_rate=0.01, epochs=2),
        training.Config("ple", "adam", hidden_layer_sizes=(8,), epochs=2, n_members=2),
    ]
    results = {}
    for n_jobs in (1, 2):
        progress = Counter()
        results[n_jobs] = training.run_demo(
            dataset, configs, 2, progress, n_jobs=n_jobs
        )
        assert progress.steps == len(configs) * 2
    for sequential, parallel, config in zip(results[1], results[2], configs):
        assert sequential.config == parallel.config == config
        assert sequential.n_splits == parallel.n_splits == 2
        np.testing.assert_array_equal(
            [sequential.train_rmse, sequential.valid_rmse],
            [parallel.train_rmse, parallel.valid_rmse],
        )
        assert sequential.loss_curve == parallel.loss_curve


def test_cost_ranks_the_best_row_before_the_course_rows():
    small = training.Config("zscore", "adam")
    best = training.Config(
        "ple+rff", "adam", hidden_layer_sizes=(128, 128), epochs=100, n_members=2
    )
    assert best.cost > small.cost
    assert best.network.startswith("128x128 x2 members")
