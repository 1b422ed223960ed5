"""Grid search over model and training settings, as report 002 does with scikit-learn.

Report 002 wraps a Keras model in ``KerasClassifier`` and runs ``GridSearchCV`` over optimizer,
learning rate, activation, dropout, initialiser, units, batch size and epochs. Here::

    def build_model(optimizer, learning_rate, activation, dropout_rate, initializer, num_unit):
        model = Sequential([...], input_shape=(28, 28, 1))
        model.compile(optimizer=optimizer(learning_rate=learning_rate),
                      loss="categorical_crossentropy", metrics=["accuracy"])
        return model

    search = GridSearch(build_model, {"optimizer": [SGD, Adam], "learning_rate": [0.01, 0.1],
                                      ..., "batch_size": [10, 100], "epochs": [5, 15]}, cv=3)
    search.fit(x_train, y_train)
    print(search.table())
    search.best_params_, search.best_score_

Each grid key goes to ``build_fn`` if it is one of its parameters, otherwise to
``Sequential.fit`` (``batch_size``, ``epochs``, ...). Candidates are scored by accuracy on
held-out data: ``cv=k`` uses k stratified folds in data order (scikit-learn's default for a
classifier, no shuffling), ``validation_split=v`` one hold-out of the last fraction v. With
``n_jobs > 1`` candidates run in parallel worker processes.
"""
import inspect
import itertools
import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor

import numpy as np

from minicnn.metrics import class_indices
from minicnn.rng import set_seed


def stratified_folds(labels, k):
    """k (train_index, test_index) pairs; each class is dealt to the folds in data order, so
    every fold gets the same share of every class, as scikit-learn's StratifiedKFold without
    shuffling does (its block sizes may differ from these by one)."""
    labels = np.asarray(labels)
    fold_of = np.empty(len(labels), dtype=np.intp)
    for c in np.unique(labels):
        members = np.flatnonzero(labels == c)
        # consecutive blocks of this class's samples, as equal as possible
        fold_of[members] = np.repeat(np.arange(k), np.diff(np.linspace(0, len(members), k + 1)
                                                          .round().astype(int)))
    return [(np.flatnonzero(fold_of != f), np.flatnonzero(fold_of == f)) for f in range(k)]


def _split_params(build_fn, params):
    build_args = inspect.signature(build_fn).parameters
    return ({k: v for k, v in params.items() if k in build_args},
            {k: v for k, v in params.items() if k not in build_args})


def _score_candidate(build_fn, params, x, y, splits, seed):
    """Train one candidate on every split; returns (fold accuracies, seconds)."""
    build_params, fit_params = _split_params(build_fn, params)
    start, scores = time.perf_counter(), []
    for train, test in splits:
        set_seed(seed)
        model = build_fn(**build_params)
        model.fit(x[train], y[train], verbose=0, seed=seed, **fit_params)
        predicted = model.predict(x[test]).argmax(axis=-1)
        scores.append(float(np.mean(predicted == class_indices(y[test]))))
    return scores, time.perf_counter() - start


class GridSearch:
    """Try every combination of ``param_grid``; keep the one with the best held-out accuracy."""

    def __init__(self, build_fn, param_grid, cv=3, validation_split=None, n_jobs=1, seed=0,
                 verbose=1):
        if not param_grid:
            raise ValueError("GridSearch: param_grid must name at least one setting")
        fit_args = inspect.signature(_fit_signature()).parameters
        build_args = inspect.signature(build_fn).parameters
        unknown = [k for k in param_grid if k not in build_args and k not in fit_args]
        if unknown:
            raise ValueError(f"GridSearch: {unknown} are neither parameters of "
                             f"{build_fn.__name__}{inspect.signature(build_fn)} nor of fit")
        self.build_fn, self.param_grid = build_fn, dict(param_grid)
        self.cv, self.validation_split = cv, validation_split
        self.n_jobs, self.seed, self.verbose = n_jobs, seed, verbose

    def candidates(self):
        """Every combination, as a list of dicts (grid keys in the given order)."""
        keys = list(self.param_grid)
        return [dict(zip(keys, values))
                for values in itertools.product(*(self.param_grid[k] for k in keys))]

    def _splits(self, y):
        n = len(y)
        if self.validation_split is not None:
            split_at = int(np.floor(n * (1.0 - self.validation_split)))
            return [(np.arange(split_at), np.arange(split_at, n))]
        return stratified_folds(class_indices(y), self.cv)

    def fit(self, x, y):
        x, y = np.asarray(x), np.asarray(y)
        splits, candidates = self._splits(y), self.candidates()
        if self.n_jobs == 1:
            outcomes = [_score_candidate(self.build_fn, p, x, y, splits, self.seed)
                        for p in candidates]
        else:
            # fork keeps build_fn usable even when it is defined in a script or notebook
            methods = multiprocessing.get_all_start_methods()
            context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
            with ProcessPoolExecutor(self.n_jobs, mp_context=context) as pool:
                futures = [pool.submit(_score_candidate, self.build_fn, p, x, y, splits,
                                       self.seed) for p in candidates]
                outcomes = [f.result() for f in futures]
        self.results_ = [{"params": p, "mean_score": float(np.mean(s)),
                          "std_score": float(np.std(s)), "fold_scores": s, "seconds": t}
                         for p, (s, t) in zip(candidates, outcomes)]
        best = max(self.results_, key=lambda r: r["mean_score"])    # first best on ties
        self.best_params_, self.best_score_ = best["params"], best["mean_score"]
        if self.verbose:
            print(self.table())
        return self

    def table(self):
        """The results as a text table, best first."""
        keys = list(self.param_grid)
        rows = sorted(self.results_, key=lambda r: -r["mean_score"])
        header = ["rank", *keys, "accuracy", "std", "seconds"]
        body = [[str(i + 1), *(_show(r["params"][k]) for k in keys), f"{r['mean_score']:.4f}",
                 f"{r['std_score']:.4f}", f"{r['seconds']:.1f}"] for i, r in enumerate(rows)]
        widths = [max(len(row[i]) for row in [header] + body) for i in range(len(header))]
        return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths))
                         for row in [header] + body)


def _show(value):
    return value.__name__ if isinstance(value, type) else str(value)


def _fit_signature():
    from minicnn.models import Sequential
    return Sequential.fit
