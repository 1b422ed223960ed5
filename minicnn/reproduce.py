"""Reproduce the reports' documented accuracies: documented vs measured, row by row.

    minicnn reproduce --quick                       # a few rows, embedded subsets, minutes
    minicnn reproduce --full                        # every row, full data sets, hours
    minicnn reproduce --full --report 003 --repeats 1
    minicnn reproduce --full --experiment "test 7.1"

(``python benchmarks/reproduce.py ...`` is the same.) The rows and recipes come from
``minicnn.zoo``. Rows sharing a recipe are read off the same runs: each recipe is trained once
per seed, and every one of its rows is read from that run (004's table 5 evaluates one
100-epoch run after epochs 5, 10, ..., 100).

Resumable: every finished run (recipe x seed) is saved at once as JSON under
``<results-dir>/runs/``, every finished row under ``<results-dir>/rows/``; a later invocation
skips what is already there for the same minicnn version and settings, so a long run can be
interrupted and continued in another sitting. A run in progress is checkpointed after every
epoch (``minicnn.callbacks.BackupAndRestore`` under ``<results-dir>/checkpoints/``), so even a
run longer than a sitting gets done: the next invocation goes on from its last epoch, with the
result an uninterrupted run would have given. The tables are rewritten after every recipe.

Verdict of a row: "within tolerance" when |measured mean - documented| <= 1.5 percentage points
or within two standard deviations of our own run-to-run spread; "outside tolerance" otherwise;
"not reproducible" for rows the zoo marks so (with the reason). Quick runs train on the
embedded 10,000-image subsets for at most 2 epochs: their numbers are not the documented
setting, and the table says so instead of giving a verdict.
"""
import argparse
import datetime
import hashlib
import json
import math
import os
import platform
import re
import shutil
import sys
import time
from pathlib import Path

import numpy as np

import minicnn
from minicnn import datasets, zoo
from minicnn.callbacks import BackupAndRestore, Callback

TOLERANCE_PP = 1.5
FULL_RESULTS_DIR = "docs/results/reproduction"
QUICK_RESULTS_DIR = "results/quick"
QUICK_EPOCHS = 2
# Representative rows for --quick: one per report, cheap models, read at the last epoch.
QUICK_ROWS = [
    ("000", "Padding, small window, small strides"),
    ("001", "LeNet-5"),
    ("002", "convNN_1"),
    ("003", "test 1"),
    ("004", "tab 2: arithmetic mean"),
]
# A recipe is "cheap" (3 seeds by default) if its training is estimated to take less than this.
CHEAP_SECONDS = 15 * 60
ASSUMED_GFLOPS = 20.0        # a pessimistic training throughput for that estimate


class EvaluateAtEpochs(Callback):
    """Evaluates the test set after the given 1-based epochs; ``scores[epoch] = accuracy``."""

    def __init__(self, x_test, y_test, epochs, batch_size):
        self.x_test, self.y_test, self.batch_size = x_test, y_test, batch_size
        self.epochs, self.scores = set(epochs), {}

    def on_epoch_end(self, epoch, logs=None):
        if epoch + 1 in self.epochs:
            self.scores[epoch + 1] = _test_accuracy(self.model, self.x_test, self.y_test,
                                                    self.batch_size)

    def get_state(self):
        return {"scores": {str(epoch): score for epoch, score in self.scores.items()}}

    def set_state(self, state):
        self.scores = {int(epoch): score for epoch, score in state["scores"].items()}


class EpochTimes(Callback):
    """Wall-clock seconds of every epoch. A run's time per epoch is their median, so one epoch
    slowed by a burst of load on the shared machine (or a paused process) does not count."""

    def __init__(self):
        self.seconds, self._start = [], None

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds.append(time.perf_counter() - self._start)

    def get_state(self):
        return {"seconds": self.seconds}

    def set_state(self, state):
        self.seconds = list(state["seconds"])


def _test_accuracy(model, x, y, batch_size):
    predicted = model.predict(x, batch_size=max(batch_size, 256)).argmax(axis=-1)
    labels = y.argmax(axis=-1) if y.ndim == 2 else y
    return float(np.mean(predicted == labels))


def row_key(row):
    """``"003/test 7.1"``: a row's name in the result files."""
    return f"{row.report}/{row.experiment}"


def slug(text):
    """A file-name-safe form of a name: ``"003/test 7.1"`` -> ``"003-test-7-1"``."""
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()


def _fingerprint(settings):
    """A short hash of what a run trained. A recipe's ``notes`` are left out: they explain the
    recipe and are edited as the docs improve, which must not throw away hours of training."""
    recipe = {k: v for k, v in settings.get("recipe", {}).items() if k != "notes"}
    trained = {**settings, "recipe": recipe}
    return hashlib.sha256(json.dumps(trained, sort_keys=True, default=str).encode()).hexdigest()[:16]


def _stored_runs(recipe_name, results_dir, fingerprint, seeds):
    """The saved runs of ``recipe_name`` for seeds ``0..seeds-1`` whose settings give
    ``fingerprint``, by seed (missing ones left out). The fingerprint is recomputed from the
    settings saved with each run, so runs saved before a change of ``_fingerprint`` keep
    counting."""
    folder = Path(results_dir) / "runs" / slug(recipe_name)
    found = {}
    for seed in range(seeds):
        stored = _read_json(folder / f"seed-{seed}.json")
        if stored and _fingerprint(stored.get("settings", {})) == fingerprint:
            found[seed] = stored["run"]
    return found


def _write_json(path, data):
    from minicnn.atomic import atomic_path
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(data, indent=1, default=str) + "\n")


def _read_json(path):
    try:
        return json.loads(Path(path).read_text())
    except (OSError, ValueError):
        return None


# -- selecting and planning -----------------------------------------------------------------------
def select_rows(quick, report=None, experiment=None):
    """The rows to run: the quick selection, or every row, narrowed by report and experiment."""
    rows = zoo.rows(report)
    if quick and experiment is None:
        keys = set(QUICK_ROWS)
        rows = [r for r in rows if (r.report, r.experiment) in keys]
    if experiment is not None:
        rows = [r for r in rows if r.experiment == experiment]
        if not rows:
            raise SystemExit(f"no documented row named {experiment!r}"
                             + (f" in report {report}" if report else ""))
    return rows


def default_repeats(recipe, train_size):
    """3 seeds where a run is cheap, 1 where it is not (estimated from the layer shapes)."""
    from minicnn.bench.speed import training_flops
    model = zoo.build(recipe)
    seconds = training_flops(model, train_size) * recipe.epochs / (ASSUMED_GFLOPS * 1e9)
    return 3 if seconds < CHEAP_SECONDS else 1


# -- one run ---------------------------------------------------------------------------------------
def _read_value(row, history, test_scores, final_test):
    """The number a row documents, read from one run (see minicnn.zoo.spec for the rules)."""
    key = {"train": "accuracy", "validation": "val_accuracy"}.get(row.split)
    at = row.at_epoch
    if row.split == "test":
        if at == "last":
            return final_test
        if isinstance(at, int):
            return test_scores.get(at)
        raise ValueError(f"{row_key(row)}: cannot read test accuracy at {at!r}")
    values = history.history.get(key)
    if not values:
        return None
    if at == "last":
        return values[-1]
    if isinstance(at, int):
        return values[at - 1] if at <= len(values) else None
    monitor = at.split(":", 1)[1]
    watched = history.history[monitor]
    best = int(np.argmin(watched)) if "loss" in monitor else int(np.argmax(watched))
    return values[best]


def run_recipe(recipe, rows, seed, data, epochs, backup_dir=None):
    """Train ``recipe`` once with ``seed``; return the measurements for all of ``rows``. With
    ``backup_dir``, each epoch is checkpointed there and an interrupted run resumes from it
    (the checkpoint is kept: the caller deletes it once the run is saved)."""
    (x_train, y_train), (x_test, y_test) = data
    minicnn.set_seed(seed)
    model = zoo.build(recipe)
    model.compile(**zoo.compile_args(recipe))
    fit_data = zoo.fit_data(recipe, x_train, y_train, x_test, y_test, seed=seed)
    eval_epochs = sorted({r.at_epoch for r in rows if r.split == "test"
                          and isinstance(r.at_epoch, int) and r.at_epoch <= epochs})
    evaluator = EvaluateAtEpochs(fit_data.x_test, fit_data.y_test, eval_epochs, recipe.batch_size)
    # The timer comes first: its epoch ends before the test-set evaluations of ``evaluator``.
    timer = EpochTimes()
    callbacks = [timer, evaluator]
    if backup_dir is not None:
        callbacks.append(BackupAndRestore(backup_dir, delete_checkpoint=False))
    args = zoo.fit_args(recipe, validation_data=fit_data.validation_data, callbacks=callbacks)
    args["epochs"] = epochs
    history = model.fit(fit_data.x, fit_data.y, verbose=0, seed=seed, **args)
    epochs_run = len(history.epoch)
    final_test = _test_accuracy(model, fit_data.x_test, fit_data.y_test, recipe.batch_size)
    return {"seed": seed, "epochs_run": epochs_run,
            "seconds_per_epoch": float(np.median(timer.seconds)) if timer.seconds else None,
            "epoch_seconds": [round(t, 3) for t in timer.seconds],
            "params": model.count_params(),
            "values": {row_key(r): _read_value(r, history, evaluator.scores, final_test)
                       for r in rows},
            "history": {k: [float(v) for v in vs] for k, vs in history.history.items()}}


# -- aggregation -------------------------------------------------------------------------------------
def summarise(row, runs, quick, epochs):
    """One row of the results table from the runs of its recipe."""
    values = [run["values"].get(row_key(row)) for run in runs]
    values = [v for v in values if v is not None]
    times = [r["seconds_per_epoch"] for r in runs if r.get("seconds_per_epoch") is not None]
    entry = {"report": row.report, "section": row.section, "experiment": row.experiment,
             "dataset": row.dataset, "split": row.split, "at_epoch": row.at_epoch,
             "documented": row.documented, "documented_params": row.documented_params,
             "recipe": row.recipe, "mode": "quick" if quick else "full", "epochs": epochs,
             "epochs_run": _epochs_trained(runs), "training_seconds": _training_seconds(runs),
             "runs": len(values), "measured_mean": None, "measured_std": None,
             "delta_pp": None, "params": runs[0]["params"] if runs else None,
             "seconds_per_epoch": float(np.mean(times)) if times else None,
             "explanation": zoo.explanation(row)}
    if not row.reproducible:
        entry.update(verdict="not reproducible", explanation=row.reason)
        return entry
    if values:
        mean, std = float(np.mean(values)), float(np.std(values, ddof=1)) if len(values) > 1 else 0.0
        entry.update(measured_mean=mean, measured_std=std,
                     delta_pp=100 * (mean - row.documented))
    entry["verdict"] = verdict(entry, quick)
    return entry


def _epochs_trained(runs):
    """The epochs each run trained, in seed order: fewer than the recipe's where early
    stopping ended it (004's EarlyStopping row: 59 of 100)."""
    return [run["epochs_run"] for run in runs if run.get("epochs_run") is not None]


def _training_seconds(runs):
    """Seconds the runs trained: their epoch times summed (runs saved before 2026-12-01 evening
    kept only the mean, total / epochs)."""
    return sum(sum(run["epoch_seconds"]) if run.get("epoch_seconds") else
               (run.get("seconds_per_epoch") or 0.0) * run.get("epochs_run", 0) for run in runs)


def _epochs_text(entry):
    """The table's epochs column: ``100``, or ``57 of 100`` / ``52-57 of 100`` when early
    stopping ended the runs sooner."""
    trained = entry.get("epochs_run") or [entry["epochs"]]
    if min(trained) == max(trained) == entry["epochs"]:
        return str(entry["epochs"])
    span = str(min(trained)) if min(trained) == max(trained) else f"{min(trained)}-{max(trained)}"
    return f"{span} of {entry['epochs']}"


def verdict(entry, quick):
    """The verdict of a reproducible row from its measurements (see the module docstring).
    |delta| is compared in units of 1e-6 pp: accuracies are counts over at most 70,000 images
    and the reports print two decimals, so a delta of exactly 1.50 pp must not fail on the
    binary rounding of 0.9075 - 0.8925 (1.5000000000000013)."""
    if quick:
        return "quick run (not comparable)"
    if not entry["runs"]:
        return "not run"
    delta = round(abs(entry["delta_pp"]), 6)
    spread = 2 * 100 * entry["measured_std"] if entry["runs"] > 1 else 0.0
    return "within tolerance" if delta <= TOLERANCE_PP or delta <= spread else "outside tolerance"


# -- outputs -----------------------------------------------------------------------------------------
def _machine():
    return f"{platform.node() or 'unknown host'} ({os.cpu_count()} CPUs, {platform.machine()})"


def training_hours(entries):
    """(hours, runs): the training time behind a table, each recipe's runs counted once
    (several rows read the same runs)."""
    by_recipe = {e["recipe"]: e for e in entries if e.get("epochs_run")}
    seconds = sum(e["training_seconds"] for e in by_recipe.values())
    return seconds / 3600, sum(len(e["epochs_run"]) for e in by_recipe.values())


def render_markdown(entries, command, quick):
    """The results table as Markdown, with the command, machine, date and version on top."""
    def pct(v):
        return "" if v is None else f"{100 * v:.2f}"

    counts = {}
    for e in entries:
        counts[e["verdict"]] = counts.get(e["verdict"], 0) + 1
    hours, runs = training_hours(entries)
    duration = f"{hours:.1f} hours" if hours >= 1 else f"{max(1, round(60 * hours))} min"
    title = "quick run on the embedded subsets -- NOT the documented setting" if quick \
        else "full data sets, the reports' recipes"
    how = (f"`{command}`" if quick else
           f"`minicnn reproduce --full` (it trains what is missing and resumes the rest from "
           f"`{FULL_RESULTS_DIR}/`; this update: `{command}`)")
    lines = [f"# Reproduction of the reports: documented vs measured ({title})", "",
             f"Generated by {how} on {datetime.date.today().isoformat()}, "
             f"machine {_machine()}, minicnn {minicnn.__version__}. Times per epoch (median "
             f"over a run's epochs; in runs saved before 2026-12-01 evening, total time / "
             f"epochs) were taken on a shared machine: compare them with "
             f"docs/results/speed.md, not with each other.", "",
             "Accuracies in percent. Verdict: within tolerance when |Δ| ≤ "
             f"{TOLERANCE_PP} pp or within 2 std of our runs. Epochs: the recipe's; \"57 of "
             "100\" where early stopping ended the run(s) sooner. Rows, recipes and every "
             "interpretation choice: docs/zoo.md.", "",
             "Verdicts: " + ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())) +
             f". Training behind this table: about {duration} in {runs} run"
             f"{'' if runs == 1 else 's'} (their epochs' times, summed).", "",
             "| report | section | experiment | data | split | documented | measured (mean ± std, runs) "
             "| Δ pp | verdict | epochs | s/epoch | params (ours / report) | explanation |",
             "|---|---|---|---|---|---:|---|---:|---|---:|---:|---|---|"]
    for e in entries:
        measured = "" if e["measured_mean"] is None else \
            f"{pct(e['measured_mean'])} ± {pct(e['measured_std'])} ({e['runs']})"
        delta = "" if e["delta_pp"] is None else f"{e['delta_pp']:+.2f}"
        params = "" if e["params"] is None else f"{e['params']:,}"
        if e["documented_params"]:
            params += f" / {e['documented_params']:,}"
        seconds = "" if e["seconds_per_epoch"] is None else f"{e['seconds_per_epoch']:.1f}"
        lines.append(f"| {e['report']} | {e['section']} | {e['experiment']} | {e['dataset']} | "
                     f"{e['split']} @ {e['at_epoch']} | {pct(e['documented'])} | {measured} | "
                     f"{delta} | {e['verdict']} | {_epochs_text(e)} | {seconds} | {params} | "
                     f"{e['explanation'] or ''} |")
    return "\n".join(lines) + "\n"


def plot_results(entries, path, quick):
    """Documented vs measured accuracy, one point per row (drawn by ``viz.plot_reproduction``)."""
    from minicnn import viz   # matplotlib is imported only when a picture is drawn

    viz.plot_reproduction(entries, path=path, tolerance_pp=TOLERANCE_PP,
                          title="minicnn vs the reports" + (" (quick run)" if quick else ""))


# -- the driver ----------------------------------------------------------------------------------------
def load_data(quick):
    """Both data sets, prepared: the embedded subsets (quick) or the full fetched sets."""
    subset = "embedded" if quick else None
    data = {}
    for name, loader in (("mnist", datasets.load_mnist), ("fashion-mnist", datasets.load_fashion_mnist)):
        try:
            (x, y), (xt, yt) = loader(subset=subset)
        except datasets.DatasetError as error:
            raise SystemExit(f"{error}\n(--full needs the full data sets: minicnn data fetch all)")
        data[name] = ((datasets.prepare_images(x), y.astype(np.int64)),
                      (datasets.prepare_images(xt), yt.astype(np.int64)))
    return data


def reproduce(quick=True, report=None, experiment=None, repeats=None, results_dir=None,
              output=None, command="minicnn reproduce", log=print):
    """Train what is missing, read every selected row, write the tables; returns the entries."""
    results_dir = Path(results_dir or (QUICK_RESULTS_DIR if quick else FULL_RESULTS_DIR))
    output = Path(output or (results_dir / "reproduction.md" if quick else "docs/results/reproduction.md"))
    rows = select_rows(quick, report, experiment)
    data = load_data(quick)
    # A run reads every row of its recipe, selected or not: a run saved for one of them (say
    # --experiment "test 9.1") must also hold the values of the others ("test 9.1 (test)"),
    # or a later sitting would reuse it and find them missing.
    selected_recipes = {r.recipe for r in rows}
    by_recipe = {}
    for row in zoo.rows():
        if row.recipe in selected_recipes:
            by_recipe.setdefault(row.recipe, []).append(row)

    # The table shows every row of the selection in quick mode, and every documented row in
    # full mode (rows finished in earlier sittings come from their JSON; the rest: "not run").
    table_rows = rows if quick else zoo.rows()
    entries = {row_key(r): stored_entry(r, results_dir, quick, data) for r in table_rows}
    for recipe_name, recipe_rows in by_recipe.items():
        recipe = zoo.get_recipe(recipe_name)
        settings = run_settings(recipe, quick, data)
        epochs, train_size = settings["epochs"], settings["train_size"]
        readable = [r for r in recipe_rows if r.reproducible and
                    not (isinstance(r.at_epoch, int) and r.at_epoch > epochs)]
        k = repeats or (1 if quick else default_repeats(recipe, train_size))
        fingerprint = _fingerprint(settings)
        runs = []
        if readable:
            stored_runs = _stored_runs(recipe_name, results_dir, fingerprint, seeds=k)
            for seed in range(k):
                backup_dir = _checkpoint_dir(results_dir, recipe_name, seed, fingerprint,
                                             keep=seed not in stored_runs)
                if seed in stored_runs:
                    runs.append(stored_runs[seed])
                    continue
                path = results_dir / "runs" / slug(recipe_name) / f"seed-{seed}.json"
                resuming = (backup_dir / BackupAndRestore.FILE_NAME).is_file()
                log(f"training {recipe_name} (seed {seed + 1}/{k}, {epochs} epochs, "
                    f"{train_size:,} images{', resuming from its checkpoint' if resuming else ''})"
                    f" ...")
                run = run_recipe(recipe, readable, seed, data[recipe.dataset], epochs, backup_dir)
                _write_json(path, {"fingerprint": fingerprint, "settings": settings, "run": run})
                shutil.rmtree(backup_dir)            # the run is saved: its checkpoint is done
                runs.append(run)
                log(f"  {run['seconds_per_epoch'] or 0:.1f} s/epoch: " + ", ".join(
                    f"{key.split('/', 1)[1]} {100 * v:.2f}" for key, v in run["values"].items()
                    if v is not None))
        for row in recipe_rows:
            entry = summarise(row, runs, quick, epochs)
            entries[row_key(row)] = entry
            _write_json(results_dir / "rows" / f"{slug(row_key(row))}.json",
                        {"fingerprint": fingerprint, **entry})
        write_outputs([entries[row_key(r)] for r in table_rows], output, command, quick)
    table = write_outputs([entries[row_key(r)] for r in table_rows], output, command, quick)
    log(table)
    return [entries[row_key(r)] for r in rows]


def _checkpoint_dir(results_dir, recipe_name, seed, fingerprint, keep):
    """Where the run (recipe, seed) with these settings keeps its checkpoint. Checkpoints of the
    same run under other settings are stale and removed, and so is this one unless ``keep``
    (a run saved by a sitting stopped just before it could remove its checkpoint)."""
    folder = Path(results_dir) / "checkpoints"
    current = folder / f"{slug(recipe_name)}-seed-{seed}-{fingerprint}"
    for stale in folder.glob(f"{slug(recipe_name)}-seed-{seed}-*"):
        if stale != current or not keep:
            shutil.rmtree(stale)
    return current


def run_settings(recipe, quick, data):
    """What a run depends on; a stored result counts only if these are unchanged."""
    epochs = min(recipe.epochs, QUICK_EPOCHS) if quick else recipe.epochs
    return {"minicnn": minicnn.__version__, "quick": quick, "epochs": epochs,
            "train_size": len(data[recipe.dataset][0][0]), "recipe": recipe.as_dict()}


def stored_entry(row, results_dir, quick, data):
    """The row's entry saved by an earlier sitting with the same settings, else one summarised
    from the recipe's saved runs with those settings (the seeds a default run would use), else
    a fresh one ("not run", or "not reproducible" with the reason)."""
    recipe = zoo.get_recipe(row.recipe)
    settings = run_settings(recipe, quick, data)
    fingerprint = _fingerprint(settings)
    stored = _read_json(Path(results_dir) / "rows" / f"{slug(row_key(row))}.json")
    if not (stored and stored.pop("fingerprint", None) == fingerprint):
        runs = {}
        if row.reproducible:
            seeds = 1 if quick else default_repeats(recipe, settings["train_size"])
            runs = _stored_runs(row.recipe, results_dir, fingerprint, seeds)
        stored = summarise(row, list(runs.values()), quick, settings["epochs"]) if runs else None
    if stored and not {"epochs_run", "training_seconds"} <= stored.keys():
        # a row saved before rows kept the epochs and time its runs trained: read them off the runs
        runs = _stored_runs(row.recipe, results_dir, fingerprint, stored["runs"])
        runs = [runs[seed] for seed in sorted(runs)]
        stored.update(epochs_run=_epochs_trained(runs), training_seconds=_training_seconds(runs))
    if stored:
        # The measurements are stored; the explanation is the zoo's current text, which is
        # written after the run that showed the row outside tolerance.
        # So is the verdict: a function of the stored measurements and the rule above.
        if row.reproducible:
            stored["explanation"] = zoo.explanation(row)
            stored["verdict"] = verdict(stored, quick)
        else:
            stored["explanation"] = row.reason
        return stored
    return summarise(row, [], quick, settings["epochs"])


def write_outputs(entries, output, command, quick):
    """reproduction.md, reproduction.json (same rows) and reproduction.png beside it."""
    text = render_markdown(entries, command, quick)
    output.parent.mkdir(parents=True, exist_ok=True)
    from minicnn.atomic import atomic_path
    with atomic_path(output) as tmp:
        tmp.write_text(text)
    _write_json(output.with_suffix(".json"), entries)
    if any(e["measured_mean"] is not None for e in entries):
        plot_results(entries, output.with_suffix(".png"), quick)
    return text


def main(argv=None):
    """``minicnn reproduce`` / ``python benchmarks/reproduce.py``: parse options, run."""
    parser = argparse.ArgumentParser(prog="minicnn reproduce",
                                     description="Train the reports' recipes and compare with "
                                                 "their documented accuracies.")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true",
                      help="a few rows on the embedded subsets, <= 2 epochs (default)")
    mode.add_argument("--full", action="store_true",
                      help="every selected row on the full data sets (minicnn data fetch all)")
    parser.add_argument("--report", choices=sorted(zoo.REPORT_FILES), help="only this report")
    parser.add_argument("--experiment", help="only the row(s) with this experiment name")
    parser.add_argument("--repeats", type=int, help="seeds per recipe (default: 3 if cheap, else 1; "
                                                    "quick: 1)")
    parser.add_argument("--results-dir", help=f"per-run/row JSON (default {FULL_RESULTS_DIR}, "
                                              f"quick: {QUICK_RESULTS_DIR})")
    parser.add_argument("--output", help="the markdown table (default docs/results/reproduction.md, "
                                         "quick: <results-dir>/reproduction.md)")
    args = parser.parse_args(argv)
    command = "minicnn reproduce " + " ".join(sys.argv[1:] if argv is None else argv)
    reproduce(quick=not args.full, report=args.report, experiment=args.experiment,
              repeats=args.repeats, results_dir=args.results_dir, output=args.output,
              command=command.strip())
    return 0


if __name__ == "__main__":
    main()
