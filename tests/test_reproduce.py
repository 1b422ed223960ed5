"""The reproduction runner: reading rows off runs, verdicts, resume/skip, the written tables."""
import json

import numpy as np
import pytest

from minicnn import reproduce, zoo
from minicnn.callbacks import History


def _history(**logs):
    h = History()
    h.on_train_begin()
    for epoch in range(len(next(iter(logs.values())))):
        h.on_epoch_end(epoch, {k: v[epoch] for k, v in logs.items()})
    return h


def test_read_value_follows_the_rows_rules():
    row = zoo.get_row("001", "LeNet-5")                       # validation @ last
    h = _history(accuracy=[0.5, 0.6, 0.7], val_accuracy=[0.4, 0.9, 0.8], val_loss=[3, 1, 2])
    assert reproduce._read_value(row, h, {}, 0.55) == 0.8
    best = next(r for r in zoo.rows() if str(r.at_epoch).startswith("best:val_"))
    monitor = best.at_epoch.split(":", 1)[1]
    h = _history(accuracy=[0.5, 0.6, 0.7], val_accuracy=[0.4, 0.9, 0.8],
                 **{monitor: [0.1, 0.3, 0.2]} if monitor != "val_accuracy" else {})
    assert reproduce._read_value(best, h, {}, 0.0) == 0.9
    epoch_row = next(r for r in zoo.rows("004") if r.split == "test" and r.at_epoch == 10)
    assert reproduce._read_value(epoch_row, h, {10: 0.87}, 0.0) == 0.87
    test_row = zoo.get_row("002", "convNN_1")
    assert reproduce._read_value(test_row, h, {}, 0.55) == 0.55


def test_verdicts():
    row = zoo.get_row("002", "convNN_1")                       # documented 0.8426
    runs = [{"values": {reproduce.row_key(row): v}, "params": 1, "seconds_per_epoch": 1.0}
            for v in (0.84, 0.85, 0.83)]
    assert reproduce.summarise(row, runs, False, 10)["verdict"] == "within tolerance"
    far = [{**r, "values": {reproduce.row_key(row): v}} for r, v in zip(runs, (0.80, 0.81, 0.79))]
    entry = reproduce.summarise(row, far, False, 10)
    assert entry["verdict"] == "outside tolerance" and entry["delta_pp"] == pytest.approx(-4.26)
    noisy = [{**r, "values": {reproduce.row_key(row): v}} for r, v in zip(runs, (0.78, 0.86, 0.82))]
    assert reproduce.summarise(row, noisy, False, 10)["verdict"] == "within tolerance"  # 2 std
    assert reproduce.summarise(row, runs, True, 2)["verdict"] == "quick run (not comparable)"
    vgg = next(r for r in zoo.rows("002") if not r.reproducible)
    assert reproduce.summarise(vgg, [], False, 1)["verdict"] == "not reproducible"
    # exactly 1.50 pp is within: 90.75 % measured against 89.25 % documented (003's test 7)
    row = zoo.get_row("003", "test 7 (test)")
    assert row.documented == 0.8925
    exact = [{"values": {reproduce.row_key(row): 0.9075}, "params": 1, "seconds_per_epoch": 1.0}]
    entry = reproduce.summarise(row, exact, False, 20)
    assert entry["delta_pp"] > 1.5 and entry["verdict"] == "within tolerance"
    beyond = [{**exact[0], "values": {reproduce.row_key(row): 0.9076}}]
    assert reproduce.summarise(row, beyond, False, 20)["verdict"] == "outside tolerance"


def test_quick_run_writes_tables_and_resumes(tmp_path):
    logs = []
    out = tmp_path / "table.md"
    entries = reproduce.reproduce(quick=True, report="001", experiment="LeNet-5",
                                  results_dir=tmp_path, output=out, log=logs.append)
    assert len(entries) == 1 and entries[0]["runs"] == 1 and entries[0]["epochs"] == 2
    assert any(line.startswith("training 001/LeNet-5") for line in logs)
    assert (tmp_path / "runs" / "001-lenet-5" / "seed-0.json").is_file()
    assert (tmp_path / "rows" / "001-lenet-5.json").is_file()
    run = json.loads((tmp_path / "runs" / "001-lenet-5" / "seed-0.json").read_text())["run"]
    assert len(run["epoch_seconds"]) == run["epochs_run"] == 2
    data = json.loads(out.with_suffix(".json").read_text())
    for key in ("report", "section", "experiment", "dataset", "split", "documented",
                "measured_mean", "measured_std", "runs", "epochs", "params",
                "documented_params", "verdict", "explanation"):
        assert key in data[0]
    assert out.with_suffix(".png").stat().st_size > 1000
    assert "NOT the documented setting" in out.read_text()
    # A second invocation trains nothing; a second seed trains only that seed.
    logs.clear()
    again = reproduce.reproduce(quick=True, report="001", experiment="LeNet-5",
                                results_dir=tmp_path, output=out, log=logs.append)
    assert not any(line.startswith("training") for line in logs)
    assert again[0]["measured_mean"] == entries[0]["measured_mean"]
    logs.clear()
    reproduce.reproduce(quick=True, report="001", experiment="LeNet-5", repeats=2,
                        results_dir=tmp_path, output=out, log=logs.append)
    assert [line for line in logs if line.startswith("training")] == [
        "training 001/LeNet-5 (seed 2/2, 2 epochs, 10,000 images) ..."]
    # Runs saved by an older fingerprint rule, or with different notes, are still reused.
    path = tmp_path / "runs" / "001-lenet-5" / "seed-0.json"
    saved = json.loads(path.read_text())
    saved["fingerprint"] = "written-by-an-older-rule"
    saved["settings"]["recipe"]["notes"] = ["a note since rewritten"]
    path.write_text(json.dumps(saved))
    logs.clear()
    reproduce.reproduce(quick=True, report="001", experiment="LeNet-5", repeats=2,
                        results_dir=tmp_path, output=out, log=logs.append)
    assert not any(line.startswith("training") for line in logs)


def test_unknown_experiment_is_a_clear_error():
    with pytest.raises(SystemExit, match="no documented row named 'test 99'"):
        reproduce.select_rows(False, None, "test 99")


def test_full_table_keeps_rows_from_earlier_sittings(tmp_path, monkeypatch):
    """Rows saved earlier with the same settings are shown; changed settings mean "not run"."""
    data = {name: ((np.zeros((60000, 1)), None), None) for name in ("mnist", "fashion-mnist")}
    row = zoo.get_row("002", "convNN_1")
    assert reproduce.stored_entry(row, tmp_path, False, data)["verdict"] == "not run"
    recipe = zoo.get_recipe(row)
    settings = reproduce.run_settings(recipe, False, data)
    saved = {**reproduce.summarise(row, [{"values": {reproduce.row_key(row): 0.84}, "params": 1,
                                          "seconds_per_epoch": 2.0}], False, settings["epochs"])}
    reproduce._write_json(tmp_path / "rows" / "002-convnn-1.json",
                          {"fingerprint": reproduce._fingerprint(settings), **saved})
    assert reproduce.stored_entry(row, tmp_path, False, data)["measured_mean"] == 0.84
    # a verdict stored by an older rule is re-derived from the stored measurements
    reproduce._write_json(tmp_path / "rows" / "002-convnn-1.json",
                          {"fingerprint": reproduce._fingerprint(settings), **saved,
                           "verdict": "outside tolerance"})
    assert reproduce.stored_entry(row, tmp_path, False, data)["verdict"] == "within tolerance"
    # an explanation written after the run reaches the table without retraining
    monkeypatch.setitem(zoo.explanations.EXPLANATIONS, row.key, "the report's spread is 2 pp")
    assert reproduce.stored_entry(row, tmp_path, False, data)["explanation"] == \
        "the report's spread is 2 pp"
    smaller = {name: ((np.zeros((100, 1)), None), None) for name in data}
    assert reproduce.stored_entry(row, tmp_path, False, smaller)["verdict"] == "not run"
    vgg = next(r for r in zoo.rows("002") if not r.reproducible)
    assert reproduce.stored_entry(vgg, tmp_path, False, data)["verdict"] == "not reproducible"


def test_time_per_epoch_is_the_median_of_the_epochs():
    """One slow epoch (here the first, which compiles) does not move a run's time per epoch."""
    recipe = zoo.get_recipe("001/LeNet-5")
    rows = [r for r in zoo.rows("001") if r.recipe == recipe.name]
    (x, y), (x_test, y_test) = reproduce.load_data(quick=True)["mnist"]
    data = ((x[:256], y[:256]), (x_test[:64], y_test[:64]))
    run = reproduce.run_recipe(recipe, rows, seed=0, data=data, epochs=3)
    times = run["epoch_seconds"]
    assert len(times) == run["epochs_run"] == 3
    assert run["seconds_per_epoch"] == pytest.approx(float(np.median(times)), abs=1e-3)


def test_runs_saved_without_a_time_still_summarise():
    row = zoo.rows("001")[0]
    runs = [{"values": {reproduce.row_key(row): 0.98}, "params": 1, "seconds_per_epoch": None},
            {"values": {reproduce.row_key(row): 0.99}, "params": 1, "seconds_per_epoch": 4.0}]
    assert reproduce.summarise(row, runs, False, 20)["seconds_per_epoch"] == 4.0


def test_epochs_column_says_where_early_stopping_ended_the_runs(tmp_path):
    """The recipe's epochs, or "57 of 100" when early stopping ended the runs sooner -- also
    for a row file saved before rows kept the epochs each run trained (read off its runs)."""
    row = zoo.get_row("002", "convNN_1")

    def runs(*epochs_run):
        return [{"values": {reproduce.row_key(row): 0.84}, "params": 1, "seconds_per_epoch": 1.0,
                 "epoch_seconds": [1.0] * e, "epochs_run": e} for e in epochs_run]

    texts = [reproduce._epochs_text(reproduce.summarise(row, runs(*trained), False, 100))
             for trained in ((100, 100), (57,), (57, 52, 57))]
    assert texts == ["100", "57 of 100", "52-57 of 100"]
    entry = reproduce.summarise(row, runs(57), False, 100)
    assert entry["epochs_run"] == [57]
    table = reproduce.render_markdown([entry, entry], "cmd", False)   # two rows, one recipe
    assert "| within tolerance | 57 of 100 |" in table
    assert "Training behind this table: about 1 min in 1 run " in table   # 57 epochs x 1 s
    entry = reproduce.summarise(row, runs(3600, 1800), False, 3600)
    assert reproduce.training_hours([entry, entry]) == (1.5, 2)
    old_run = {"values": {}, "params": 1, "seconds_per_epoch": 2.0, "epochs_run": 9}   # no times
    assert reproduce._training_seconds([old_run, runs(5)[0]]) == 23.0
    data = {name: ((np.zeros((60000, 1)), None), None) for name in ("mnist", "fashion-mnist")}
    settings = reproduce.run_settings(zoo.get_recipe(row), False, data)
    fingerprint = reproduce._fingerprint(settings)
    for seed, trained in enumerate((6, 9)):
        reproduce._write_json(tmp_path / "runs" / "002-convnn-1" / f"seed-{seed}.json",
                              {"settings": settings, "run": {**runs(trained)[0], "seed": seed}})
    old_row = {k: v for k, v in reproduce.summarise(row, runs(6, 9), False, 10).items()
               if k not in ("epochs_run", "training_seconds")}
    reproduce._write_json(tmp_path / "rows" / "002-convnn-1.json",
                          {"fingerprint": fingerprint, **old_row})
    entry = reproduce.stored_entry(row, tmp_path, False, data)
    assert (entry["epochs_run"], entry["training_seconds"]) == ([6, 9], 15.0)


def test_saved_runs_survive_edited_notes_but_not_changed_training(tmp_path, monkeypatch):
    """A recipe's notes are documentation: editing them keeps its saved runs; anything that
    changes the training (here the epochs) does not. A row with no row file (or a stale one)
    is summarised from the runs themselves, whatever fingerprint was written next to them."""
    import dataclasses

    data = {name: ((np.zeros((60000, 1)), None), None) for name in ("mnist", "fashion-mnist")}
    row = zoo.get_row("002", "convNN_1")
    recipe = zoo.get_recipe(row)
    settings = reproduce.run_settings(recipe, False, data)
    for seed, value in enumerate((0.84, 0.86)):
        run = {"seed": seed, "values": {reproduce.row_key(row): value}, "params": 7,
               "seconds_per_epoch": 3.0}
        reproduce._write_json(tmp_path / "runs" / "002-convnn-1" / f"seed-{seed}.json",
                              {"fingerprint": "written-by-an-older-rule", "settings": settings,
                               "run": run})
    entry = reproduce.stored_entry(row, tmp_path, False, data)
    assert (entry["runs"], entry["measured_mean"]) == (2, pytest.approx(0.85))
    assert entry["verdict"] == "within tolerance"      # re-derived from the measurements
    # a row file written under another fingerprint is stale: the runs decide
    reproduce._write_json(tmp_path / "rows" / "002-convnn-1.json",
                          {"fingerprint": "written-by-an-older-rule", "measured_mean": 0.5})
    assert reproduce.stored_entry(row, tmp_path, False, data)["measured_mean"] == \
        pytest.approx(0.85)
    # only the seeds a default run uses (3 for this cheap recipe) count
    reproduce._write_json(tmp_path / "runs" / "002-convnn-1" / "seed-3.json",
                          {"settings": settings, "run": {**run, "seed": 3}})
    assert reproduce.stored_entry(row, tmp_path, False, data)["runs"] == 2

    def with_recipe(**changes):
        changed = dataclasses.replace(recipe, **changes)
        monkeypatch.setattr(zoo, "get_recipe", lambda *a: changed)
        return reproduce.stored_entry(row, tmp_path, False, data)

    assert with_recipe(notes=recipe.notes + ("a clearer reason",))["runs"] == 2
    assert with_recipe(epochs=recipe.epochs + 1)["verdict"] == "not run"
    assert reproduce._fingerprint(settings) != reproduce._fingerprint(
        reproduce.run_settings(dataclasses.replace(recipe, batch_size=64), False, data))


def test_a_run_for_one_selected_row_reads_every_row_of_its_recipe(tmp_path):
    """--experiment picks one row, but the run it saves is reused for every row of the same
    recipe later: it must hold their values too (000's fully connected model feeds two rows)."""
    reproduce.reproduce(quick=True, report="000", experiment="Fully connected",
                        results_dir=tmp_path, output=tmp_path / "table.md", log=lambda _: None)
    run = json.loads((tmp_path / "runs" / "000-fully-connected" / "seed-0.json").read_text())["run"]
    assert set(run["values"]) == {"000/Fully connected", "000/Fully connected (table B)"}
    assert run["values"]["000/Fully connected"] == run["values"]["000/Fully connected (table B)"]
    assert (tmp_path / "rows" / "000-fully-connected-table-b.json").is_file()


def test_a_run_interrupted_mid_way_resumes_from_its_last_epoch(tmp_path, monkeypatch):
    """A run longer than a sitting: killed during its second epoch, the next invocation goes on
    from the checkpoint of the first and saves what an uninterrupted run saves."""
    def run(results_dir, logs=None):
        return reproduce.reproduce(quick=True, report="001", experiment="LeNet-5",
                                   results_dir=results_dir, output=results_dir / "table.md",
                                   log=(logs if logs is not None else []).append)

    run(tmp_path / "whole")
    whole = json.loads((tmp_path / "whole" / "runs" / "001-lenet-5" / "seed-0.json").read_text())

    class Killed(Exception):
        pass

    begin = reproduce.EpochTimes.on_epoch_begin

    def killed_in_epoch_2(self, epoch, logs=None):
        if epoch == 1:
            raise Killed
        begin(self, epoch, logs)

    monkeypatch.setattr(reproduce.EpochTimes, "on_epoch_begin", killed_in_epoch_2)
    with pytest.raises(Killed):
        run(tmp_path / "split")
    assert not (tmp_path / "split" / "runs" / "001-lenet-5" / "seed-0.json").exists()
    [backup] = (tmp_path / "split" / "checkpoints").iterdir()
    assert backup.name.startswith("001-lenet-5-seed-0-") and (backup / "checkpoint.h5").is_file()
    begun = []

    def counted(self, epoch, logs=None):
        begun.append(epoch)
        begin(self, epoch, logs)

    monkeypatch.setattr(reproduce.EpochTimes, "on_epoch_begin", counted)
    logs = []
    run(tmp_path / "split", logs)
    assert begun == [1]                             # only the second epoch was trained again
    assert "training 001/LeNet-5 (seed 1/1, 2 epochs, 10,000 images, resuming from its " \
           "checkpoint) ..." in logs
    split = json.loads((tmp_path / "split" / "runs" / "001-lenet-5" / "seed-0.json").read_text())
    assert split["run"]["history"] == whole["run"]["history"]
    assert split["run"]["values"] == whole["run"]["values"]
    assert len(split["run"]["epoch_seconds"]) == split["run"]["epochs_run"] == 2
    assert not backup.exists()                      # saved run: its checkpoint is removed
    # Left over by a sitting stopped between saving the run and removing the checkpoint, or
    # written under other settings: removed by the next sitting, which trains nothing here.
    backup.mkdir()
    (backup.parent / "001-lenet-5-seed-0-0123456789abcdef").mkdir()
    begun.clear()
    run(tmp_path / "split")
    assert begun == [] and list(backup.parent.iterdir()) == []
