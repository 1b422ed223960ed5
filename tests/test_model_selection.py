"""GridSearch: every candidate scored on held-out folds, best chosen, parallel = serial."""
import numpy as np
import pytest

import minicnn
from minicnn.layers import Dense, Dropout, Flatten
from minicnn.model_selection import GridSearch, stratified_folds


def build_mlp(num_unit, learning_rate, dropout_rate=0.0):
    """A small version of 002's grid-searched MLP."""
    model = minicnn.Sequential([Flatten(), Dense(num_unit, activation="relu"), Dropout(dropout_rate),
                                Dense(3, activation="softmax")], input_shape=(4, 4, 1))
    model.compile(minicnn.optimizers.SGD(learning_rate), "sparse_categorical_crossentropy")
    return model


def _data():
    rng = np.random.default_rng(0)
    y = np.arange(60) % 3
    x = rng.normal(0, 1.0, (60, 4, 4, 1)) + y[:, None, None, None] * 0.8
    return x.astype(np.float32), y


def test_stratified_folds_partition_and_balance():
    labels = np.array([0] * 9 + [1] * 6 + [2] * 3)
    folds = stratified_folds(labels, 3)
    tests = np.concatenate([test for _, test in folds])
    assert sorted(tests) == list(range(18))
    for train, test in folds:
        assert np.bincount(labels[test]).tolist() == [3, 2, 1]
        assert not set(train) & set(test)


def test_grid_search_scores_every_candidate_and_picks_the_best(capsys):
    x, y = _data()
    search = GridSearch(build_mlp, {"num_unit": [4, 16], "learning_rate": [1e-6, 0.1],
                                    "epochs": [3], "batch_size": [10]}, cv=3, verbose=1)
    search.fit(x, y)
    assert len(search.results_) == 4 and all(len(r["fold_scores"]) == 3 for r in search.results_)
    assert search.best_params_["learning_rate"] == 0.1          # 1e-6 cannot learn in 3 epochs
    assert search.best_score_ == max(r["mean_score"] for r in search.results_)
    printed = capsys.readouterr().out.splitlines()
    assert printed[0].split() == ["rank", "num_unit", "learning_rate", "epochs", "batch_size",
                                  "accuracy", "std", "seconds"]
    assert len(printed) == 5


def test_parallel_equals_serial_and_holdout():
    x, y = _data()
    grid = {"num_unit": [8], "learning_rate": [0.05, 0.2], "dropout_rate": [0.0, 0.3], "epochs": [2]}
    serial = GridSearch(build_mlp, grid, validation_split=0.25, verbose=0).fit(x, y)
    parallel = GridSearch(build_mlp, grid, validation_split=0.25, n_jobs=2, verbose=0).fit(x, y)
    assert [r["fold_scores"] for r in serial.results_] == [r["fold_scores"] for r in parallel.results_]
    assert all(len(r["fold_scores"]) == 1 for r in serial.results_)


def test_unknown_grid_key_is_named():
    with pytest.raises(ValueError, match=r"\['momentum'\] are neither parameters of build_mlp"):
        GridSearch(build_mlp, {"momentum": [0.9]})
