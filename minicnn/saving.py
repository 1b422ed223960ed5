"""Saving and loading: weights (HDF5 or npz), and whole models (architecture + weights + optimizer).

* ``model.save_weights(path)`` / ``model.load_weights(path)``: every parameter, layer by layer.
  A path ending in ``.npz`` uses NumPy (keys ``"layer_name/param_name"``); any other path
  (``.h5``, ``.hdf5``, ...) uses HDF5 (a group per layer, a dataset per parameter). Loading matches layers *in
  order* (as Keras's ``load_weights`` does), so a freshly built copy of the model with other
  automatic names loads fine, and a mismatch names the first layer and shapes that differ.
* ``model.save(path)`` / ``minicnn.load_model(path)``: one HDF5 file with the architecture
  (each layer's class and ``get_config()`` as JSON), the weights, and the compile settings with
  the optimizer's state (iteration count, momentum / moment slots), so training continues
  exactly where it stopped.

Every write goes to a temporary file beside the target that is renamed over it only once
complete: an interrupted save never destroys the previous file.
"""
import json
from pathlib import Path

import h5py
import numpy as np

from minicnn import layers as layers_module
from minicnn import losses as losses_module
from minicnn import optimizers as optimizers_module
from minicnn.atomic import atomic_path

FORMAT_VERSION = 1


class SavingError(ValueError):
    """A file that does not match the model, or is not a minicnn file."""


def _weight_slots(model):
    """[(layer, {param name: array})] for the layers that have weights, in model order."""
    return [(layer, layer.weights()) for layer in model.layers if layer.weights()]


def _is_npz(path):
    return Path(path).suffix.lower() == ".npz"


# -- weights ---------------------------------------------------------------------------------
def save_weights(model, path):
    """Write every parameter of ``model`` to ``path`` (HDF5, or npz by extension), atomically."""
    model._require_built("save_weights")
    path = Path(path)
    with atomic_path(path) as tmp:
        if _is_npz(path):
            arrays = {f"{layer.layer_name}/{name}": value
                      for layer, weights in _weight_slots(model) for name, value in weights.items()}
            with open(tmp, "wb") as f:
                np.savez(f, **arrays)
        else:
            with h5py.File(tmp, "w") as h5:
                _write_weights(h5.create_group("model_weights"), model)
    return path


def _write_weights(group, model):
    group.attrs["layer_names"] = [layer.layer_name for layer, _ in _weight_slots(model)]
    for layer, weights in _weight_slots(model):
        layer_group = group.create_group(layer.layer_name)
        layer_group.attrs["class_name"] = type(layer).__name__
        layer_group.attrs["weight_names"] = list(weights)
        for name, value in weights.items():
            layer_group.create_dataset(name, data=value)


def _read_weights(path):
    """[(file layer name, {param: array})] in file order."""
    path = Path(path)
    if not path.is_file():
        raise SavingError(f"{path}: no such file")
    if _is_npz(path):
        with np.load(path) as data:
            layers = {}
            for key in data.files:                     # np.savez keeps insertion order
                layer_name, _, param = key.partition("/")      # block params hold "/" too
                layers.setdefault(layer_name, {})[param] = data[key]
        return list(layers.items())
    with _open_h5(path) as h5:
        if "model_weights" not in h5:
            raise SavingError(f"{path}: not a minicnn weights file (no 'model_weights' group)")
        return _read_weights_group(h5["model_weights"])


def _open_h5(path):
    try:
        return h5py.File(path, "r")
    except OSError as error:
        raise SavingError(f"{path}: not a readable HDF5 file ({error})") from None


def _read_weights_group(group):
    """[(layer name, {param: array})] from a ``model_weights`` group, in file order."""
    return [(str(name), {str(p): group[name][p][()] for p in group[name].attrs["weight_names"]})
            for name in group.attrs["layer_names"]]


def load_weights(model, path):
    """Copy the weights stored in ``path`` into ``model`` (layers matched in order)."""
    model._require_built("load_weights")
    _assign_weights(model, _read_weights(path), path)


def _assign_weights(model, stored, path):
    slots = _weight_slots(model)
    if len(stored) != len(slots):
        raise SavingError(f"{path}: holds weights for {len(stored)} layers but {model.name} has "
                          f"{len(slots)} layers with weights")
    for index, ((layer, weights), (file_name, file_weights)) in enumerate(zip(slots, stored)):
        if list(weights) != list(file_weights):
            raise SavingError(f"{path}: layer {index} ({layer.layer_name}, {type(layer).__name__}) "
                              f"has weights {list(weights)} but the file's layer {file_name!r} "
                              f"has {list(file_weights)}")
        for name, target in weights.items():
            if target.shape != file_weights[name].shape:
                raise SavingError(
                    f"{path}: layer {index} ({layer.layer_name}, {type(layer).__name__}) expects "
                    f"{name} of shape {target.shape} but the file's layer {file_name!r} has "
                    f"{file_weights[name].shape}")
    for (_, weights), (_, file_weights) in zip(slots, stored):      # all checked: now copy
        for name, target in weights.items():
            target[...] = file_weights[name]


# -- whole models ------------------------------------------------------------------------------
def model_config(model):
    """The architecture as plain data: name, input shape, each layer's class and config."""
    return {"name": model.name, "input_shape": list(model.input_shape),
            "layers": [{"class_name": type(layer).__name__, "config": layer.get_config()}
                       for layer in model.layers]}


def _training_config(model):
    if model.loss is None:
        return None
    return {"optimizer": {"class_name": type(model.optimizer).__name__,
                          "config": model.optimizer.get_config()},
            "loss": {"name": model.loss.name, "from_logits": model.loss.from_logits},
            "metrics": [metric.name for metric in model.metrics]}


def save_model(model, path):
    """Architecture + weights + compile settings + optimizer state in one HDF5 file, atomically."""
    model._require_built("save")
    path = Path(path)
    with atomic_path(path) as tmp:
        with h5py.File(tmp, "w") as h5:
            _write_model(h5, model)
    return path


def _write_model(h5, model):
    """The contents of ``model.save``'s file, written into the open HDF5 file ``h5``."""
    h5.attrs["minicnn_format"] = FORMAT_VERSION
    h5.attrs["model_config"] = json.dumps(model_config(model))
    _write_weights(h5.create_group("model_weights"), model)
    training = _training_config(model)
    if training is not None:
        h5.attrs["training_config"] = json.dumps(training)
        state = h5.create_group("optimizer_state")
        state.attrs["iterations"] = model.optimizer.iterations
        for (layer_name, param), slots in model.optimizer.state.items():
            for slot, value in slots.items():
                state.create_dataset(f"{layer_name}/{param}/{slot}", data=value)


def _layer_from_config(entry, custom_objects):
    classes = {**{name: getattr(layers_module, name) for name in layers_module.__all__},
               **(custom_objects or {})}
    if entry["class_name"] not in classes:
        raise SavingError(f"unknown layer class {entry['class_name']!r}; pass it in "
                          f"custom_objects={{'{entry['class_name']}': ...}}")
    return classes[entry["class_name"]](**entry["config"])


def load_model(path, custom_objects=None, compile=True):
    """Rebuild a model saved with ``model.save(path)``: architecture, weights, and (unless
    ``compile=False``) optimizer, loss, metrics and optimizer state."""
    from minicnn.models import Sequential       # models imports this module

    path = Path(path)
    if not path.is_file():
        raise SavingError(f"{path}: no such file")
    with _open_h5(path) as h5:
        if "model_config" not in h5.attrs:
            raise SavingError(f"{path}: holds no model architecture (saved with save_weights? "
                              f"then build the model and call load_weights)")
        if "minicnn_format" not in h5.attrs:
            raise SavingError(f"{path}: not a file saved by minicnn (a Keras .h5 file? minicnn "
                              f"reads only its own model.save files)")
        try:
            config = json.loads(h5.attrs["model_config"])
        except ValueError as error:
            raise SavingError(f"{path}: its model_config is not valid JSON ({error})") from None
        model = Sequential([_layer_from_config(entry, custom_objects) for entry in config["layers"]],
                           input_shape=tuple(config["input_shape"]), name=config["name"])
        _assign_weights(model, _read_weights_group(h5["model_weights"]), path)
        if compile and "training_config" in h5.attrs:
            training = json.loads(h5.attrs["training_config"])
            optimizer_class = getattr(optimizers_module, training["optimizer"]["class_name"])
            loss = losses_module.get(training["loss"]["name"])
            loss.from_logits = training["loss"]["from_logits"]
            metrics = [(custom_objects or {}).get(name, name) for name in training["metrics"]]
            try:
                model.compile(optimizer_class(**training["optimizer"]["config"]), loss, metrics)
            except ValueError as error:      # a metric function of the user's, by name
                raise SavingError(f"{path}: {error}; a metric of your own: pass it in "
                                  f"custom_objects={{'name': function}}, or "
                                  f"load_model(..., compile=False)") from None
            _read_optimizer_state(h5["optimizer_state"], model.optimizer)
    return model


def _read_optimizer_state(group, optimizer, rename=None):
    """Set ``optimizer``'s iteration count and slots from an ``optimizer_state`` group.
    ``rename`` maps the file's layer names to the model's (a checkpoint restored into a model
    built again, whose automatic names may differ)."""
    rename = rename or {}
    optimizer.iterations = int(group.attrs["iterations"])
    optimizer.state = {}

    def restore_slot(key, item):
        if isinstance(item, h5py.Dataset):
            # "layer/param/slot"; a block's params hold a "/" ("residual" / "conv2d/kernel")
            layer_name, param_slot = key.split("/", 1)
            param, slot = param_slot.rsplit("/", 1)
            layer_name = rename.get(layer_name, layer_name)
            optimizer.state.setdefault((layer_name, param), {})[slot] = item[()]

    group.visititems(restore_slot)


# -- training checkpoints (BackupAndRestore) ---------------------------------------------------
def save_checkpoint(model, path, state):
    """``model.save``'s contents plus ``state`` -- plain data (dicts, lists, numbers, strings)
    with numpy arrays anywhere in it -- in one HDF5 file, atomically. The arrays are stored as
    datasets, the rest as JSON referring to them."""
    model._require_built("save_checkpoint")
    path = Path(path)
    arrays = []
    state_json = json.dumps(_arrays_out(state, arrays))
    with atomic_path(path) as tmp:
        with h5py.File(tmp, "w") as h5:
            _write_model(h5, model)
            h5.attrs["checkpoint_state"] = state_json
            group = h5.create_group("checkpoint_arrays")
            for index, array in enumerate(arrays):
                group.create_dataset(str(index), data=array)
    return path


def load_checkpoint(model, path, validate=None):
    """Restore ``model``'s weights and optimizer (state, iteration count, learning rate) from a
    file written by ``save_checkpoint``; return the saved ``state``. The model must have the
    file's layers with weights, in order, with the same shapes (names may differ).
    ``validate(state)``, if given, runs before anything is restored and may raise to refuse the
    file, leaving the model untouched."""
    path = Path(path)
    with _open_h5(path) as h5:
        if "checkpoint_state" not in h5.attrs:
            raise SavingError(f"{path}: not a minicnn training checkpoint (no 'checkpoint_state')")
        state = _arrays_in(json.loads(h5.attrs["checkpoint_state"]), h5["checkpoint_arrays"])
        if validate is not None:
            validate(state)
        stored = _read_weights_group(h5["model_weights"])
        if "optimizer_state" in h5:               # every check before anything is copied
            if model.optimizer is None:
                raise SavingError(f"{path}: holds optimizer state but {model.name} is not compiled")
            saved = json.loads(h5.attrs["training_config"])["optimizer"]
            if saved["class_name"] != type(model.optimizer).__name__:
                raise SavingError(f"{path}: was saved with optimizer {saved['class_name']}, "
                                  f"but {model.name} uses {type(model.optimizer).__name__}")
        _assign_weights(model, stored, path)
        if "optimizer_state" in h5:
            # Callbacks like ReduceLROnPlateau change the rate while training: take the saved one.
            model.optimizer.learning_rate = saved["config"]["learning_rate"]
            rename = {file_name: layer.layer_name
                      for (file_name, _), (layer, _) in zip(stored, _weight_slots(model))}
            _read_optimizer_state(h5["optimizer_state"], model.optimizer, rename)
    return state


def _arrays_out(value, arrays):
    """``value`` with every numpy array moved into the list ``arrays`` and replaced by
    ``{"__array__": index}``, so what is left is JSON."""
    if isinstance(value, np.ndarray):
        arrays.append(value)
        return {"__array__": len(arrays) - 1}
    if isinstance(value, dict):
        return {str(k): _arrays_out(v, arrays) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_arrays_out(v, arrays) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


def _arrays_in(value, group):
    """The inverse of ``_arrays_out``: the references replaced by the datasets of ``group``."""
    if isinstance(value, dict):
        if set(value) == {"__array__"}:
            return group[str(value["__array__"])][()]
        return {k: _arrays_in(v, group) for k, v in value.items()}
    if isinstance(value, list):
        return [_arrays_in(v, group) for v in value]
    return value
