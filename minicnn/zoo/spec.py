"""What a documented result is (``Row``), how it was trained (``Recipe``), and the helpers that
turn a recipe into ``compile`` and ``fit`` arguments.

A ``Row`` is one accuracy a report documents: which report, where in it, the report's own name
for the experiment, the data set, the split the number is measured on, the number itself, and
the name of the ``Recipe`` that reproduces it. Several rows can share a recipe when the report
reads several numbers off one training run (004's table 7 gives test *and* train accuracy of one
run; 004's table 5 reads one 100-epoch run at 5, 10, ... 100 epochs): train once, read each row.

A ``Recipe`` is data only -- strings, numbers and small dicts -- so it can be printed, compared
and diffed against the report. ``notes`` holds every interpretation choice made where the report
is silent or ambiguous, with its reason.

When a row's value is read (``Row.at_epoch``):

=====================  =========================================================================
``"last"``             split "train" / "validation": the value ``fit`` logged for the last epoch
                       trained (``history.history["accuracy"][-1]`` / ``["val_accuracy"][-1]``);
                       split "test": ``model.evaluate(x_test, y_test)`` after ``fit`` returns
                       (after early stopping restored its best weights, if it did)
an int ``N``           the value after epoch ``N`` (1-based): ``history[...][N - 1]``; for split
                       "test", ``evaluate`` on the test set at the end of epoch ``N`` of the run
                       (the recipe lists such epochs in ``eval_epochs``)
``"best:<monitor>"``   the value at the epoch where ``<monitor>`` (a logged key such as
                       ``val_accuracy``) was best -- max for accuracies and F1, min for losses.
                       This is the epoch ``EarlyStopping(restore_best_weights=True)`` restores.
=====================  =========================================================================

Split "train" always means the running mean over the last epoch that Keras's ``fit`` prints
(with dropout active), never a separate ``evaluate`` on the training set: that is the number a
report copies from its training log.
"""
import importlib
import inspect
from dataclasses import dataclass, field, fields
from types import MappingProxyType

REPORT_FILES = {
    "000": "000_485cbd9af63c44bb.txt",
    "001": "001_25d809317e7e472e.txt",
    "002": "002_d21b3078e0994449.txt",
    "003": "003_5664da36260e95a1.txt",
    "004": "004_59e3d2be2b28b863.txt",
}
REPORT_MODULES = {
    "000": "lab1_fashion",
    "001": "ca2_lenet",
    "002": "fashion_convnets_pl",
    "003": "chollet_coursework",
    "004": "feature_maps_sgd",
}

DATASETS = ("mnist", "fashion-mnist")
SPLITS = ("train", "validation", "test")
VALIDATION_SCHEMES = {
    "none": "no validation data",
    "split": "fit(validation_split=validation_size): Keras takes the *last* fraction of the "
             "training set, before shuffling",
    "holdout": "the first `holdout` training images are the validation data, "
               "fit(validation_data=...) (003's p_train[:5000])",
    "test": "the test set is passed as validation_data, so validation accuracy at the last epoch "
            "*is* the test accuracy (002)",
    "random_split": "a random train/validation split of validation_size (sklearn's "
                    "train_test_split, 002's VGG16 features)",
}
OPTIMIZER_NAMES = ("sgd", "adam", "rmsprop")
LOSSES = ("categorical_crossentropy", "sparse_categorical_crossentropy")


def _frozen(mapping):
    """A read-only dict view, so a frozen dataclass stays unchangeable."""
    return None if mapping is None else MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class Recipe:
    """How one experiment was trained. Everything not given is Keras's default of the time.

    name            : unique key, "<report>/<short name>", e.g. "004/main 1-1-1-1, 5 epochs"
    builder         : "<zoo module>.<function>", resolved only when the model is built (so a
                      recipe may name a builder that another module adds later)
    builder_kwargs  : keyword arguments for the builder
    dataset         : "mnist" or "fashion-mnist" (the standard 60,000 / 10,000 split)
    optimizer       : "sgd", "adam" or "rmsprop"; optimizer_kwargs: its settings
                      (learning_rate, ...); missing ones are Keras's defaults
    loss            : a Keras loss name; "categorical_crossentropy" means one-hot labels
    metrics         : names for compile(metrics=[...])
    batch_size, epochs, shuffle : as in fit
    validation      : a key of VALIDATION_SCHEMES; validation_size is the fraction for
                      "split" / "random_split"
    holdout         : the number of *first* training images removed from the training set
                      (003: p_train[5000:]); with validation "holdout" they are the validation data
    early_stopping  : None or EarlyStopping's keyword arguments (monitor, patience, mode,
                      restore_best_weights, min_delta)
    augment         : None or minicnn.datasets.Augment's keyword arguments
    eval_epochs     : epochs (1-based) after which the runner evaluates the test set during the
                      run, for rows that read a test accuracy at an epoch (004's table 5)
    notes           : interpretation choices, each "what we chose -- why"
    """
    name: str
    builder: str
    dataset: str
    optimizer: str
    loss: str
    batch_size: int = 32
    epochs: int = 1
    builder_kwargs: dict = field(default_factory=dict)
    optimizer_kwargs: dict = field(default_factory=dict)
    metrics: tuple = ("accuracy",)
    shuffle: bool = True
    validation: str = "none"
    validation_size: float = None
    holdout: int = 0
    early_stopping: dict = None
    augment: dict = None
    eval_epochs: tuple = ()
    notes: tuple = ()

    def __post_init__(self):
        object.__setattr__(self, "builder_kwargs", _frozen(self.builder_kwargs))
        object.__setattr__(self, "optimizer_kwargs", _frozen(self.optimizer_kwargs))
        object.__setattr__(self, "early_stopping", _frozen(self.early_stopping))
        object.__setattr__(self, "augment", _frozen(self.augment))
        object.__setattr__(self, "metrics", tuple(self.metrics))
        object.__setattr__(self, "eval_epochs", tuple(self.eval_epochs))
        object.__setattr__(self, "notes", tuple(self.notes))

    @property
    def report(self):
        return self.name.split("/", 1)[0]

    @property
    def one_hot(self):
        """True when the loss wants one-hot labels (``to_categorical``), False for integers."""
        return self.loss == "categorical_crossentropy"

    def as_dict(self):
        """Plain dicts, tuples and numbers (JSON-ready): e.g. to fingerprint a run's settings."""
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)}

    def __repr__(self):
        return (f"Recipe({self.name!r}, {self.builder}({_kwargs_text(self.builder_kwargs)}), "
                f"{self.optimizer}({_kwargs_text(self.optimizer_kwargs)}), "
                f"batch_size={self.batch_size}, epochs={self.epochs}, "
                f"validation={self.validation!r})")


@dataclass(frozen=True)
class Row:
    """One accuracy a report documents.

    report          : "000" ... "004" (``file`` gives the file name in ../shared/seeds/)
    section         : where in the report: section and table, in the report's words
    experiment      : the report's own name for the experiment; (report, experiment) is unique
    dataset         : "mnist" or "fashion-mnist"
    split           : "train", "validation" or "test" -- what the number is measured on, which
                      is not always what the report calls it; ``split_evidence`` says how we know
    documented      : the number as a fraction (0.9091), None where the report documents no
                      number (a failed or unreported run)
    recipe          : the name of the Recipe that reproduces it
    at_epoch        : when the value is read: "last", an epoch number, or "best:<monitor>"
                      (see the module docstring)
    metric          : "accuracy"
    documented_params : the parameter count the report prints for this model, if any
    source          : a short quote / line reference in the report
    split_evidence  : why ``split`` is what it is, where the report is not explicit
    reproducible    : False where minicnn cannot reproduce it here; ``reason`` says why
    repeat_of       : the experiment name of the row this one repeats (the report lists the same
                      run and number again in another table): measure it once
    """
    report: str
    section: str
    experiment: str
    dataset: str
    split: str
    documented: float
    recipe: str
    at_epoch: object = "last"
    metric: str = "accuracy"
    documented_params: int = None
    source: str = ""
    split_evidence: str = ""
    reproducible: bool = True
    reason: str = ""
    repeat_of: str = None

    @property
    def file(self):
        return REPORT_FILES[self.report]

    def as_dict(self):
        """The row's fields as a plain dict, plus ``file`` (JSON-ready)."""
        return {"file": self.file, **{f.name: getattr(self, f.name) for f in fields(self)}}

    @property
    def key(self):
        return (self.report, self.experiment)

    def __repr__(self):
        value = "None" if self.documented is None else f"{self.documented:.4f}"
        flag = "" if self.reproducible else ", not reproducible"
        return (f"Row({self.report} {self.experiment!r}: {self.split} {self.metric} {value}"
                f" @ {self.at_epoch}, recipe={self.recipe!r}{flag})")


def _plain(value):
    """Mapping proxies -> dicts, tuples -> lists, recursively (for as_dict)."""
    if isinstance(value, (dict, MappingProxyType)):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (tuple, list)):
        return [_plain(item) for item in value]
    return value


def _kwargs_text(kwargs):
    return ", ".join(f"{k}={v!r}" for k, v in (kwargs or {}).items())


# -- turning a recipe into a model and into compile / fit arguments ----------------------------

def resolve_builder(builder):
    """The builder function for "<zoo module>.<function>" (imported now, not at definition)."""
    module_name, _, function_name = builder.rpartition(".")
    module = importlib.import_module(f"minicnn.zoo.{module_name}")
    try:
        return getattr(module, function_name)
    except AttributeError:
        raise AttributeError(f"minicnn.zoo.{module_name} has no builder {function_name!r} "
                             f"(yet)") from None


def builder_exists(builder):
    """True if ``builder`` ("<module>.<function>") can be resolved now."""
    try:
        resolve_builder(builder)
    except (AttributeError, ImportError):
        return False
    return True


def build_recipe(recipe):
    """A fresh, un-compiled model for ``recipe``."""
    return resolve_builder(recipe.builder)(**recipe.builder_kwargs)


def make_optimizer(recipe):
    """A new optimizer object with the recipe's settings."""
    from minicnn import optimizers
    return optimizers.OPTIMIZERS[recipe.optimizer](**recipe.optimizer_kwargs)


def compile_args(recipe):
    """Keyword arguments for ``model.compile``: a fresh optimizer, the loss name, the metrics."""
    return {"optimizer": make_optimizer(recipe), "loss": recipe.loss,
            "metrics": list(recipe.metrics)}


def make_early_stopping(recipe):
    """An EarlyStopping callback from the recipe's settings, or None if it has none."""
    if recipe.early_stopping is None:
        return None
    from minicnn import callbacks
    if not hasattr(callbacks, "EarlyStopping"):
        raise NotImplementedError(f"{recipe.name} needs minicnn.callbacks.EarlyStopping, which "
                                  f"does not exist yet")
    return callbacks.EarlyStopping(**recipe.early_stopping)


def make_augment(recipe):
    """A ``minicnn.datasets.Augment`` from the recipe's settings, or None."""
    if recipe.augment is None:
        return None
    from minicnn.datasets import Augment
    return Augment(**recipe.augment)


def fit_args(recipe, validation_data=None, callbacks=()):
    """Keyword arguments for ``model.fit(x, y, **fit_args(recipe, ...))``.

    Gives batch_size, epochs, shuffle, validation_split (scheme "split"), validation_data
    (schemes "holdout", "test", "random_split": pass the arrays, e.g. from ``fit_data``),
    augment (an ``Augment`` object) and callbacks (the recipe's EarlyStopping followed by
    ``callbacks``). Leaves out verbose and seed: those are the runner's choice.
    """
    args = {"batch_size": recipe.batch_size, "epochs": recipe.epochs, "shuffle": recipe.shuffle}
    if recipe.validation == "split":
        args["validation_split"] = recipe.validation_size
    elif recipe.validation != "none":
        if validation_data is None:
            raise ValueError(f"{recipe.name}: validation scheme {recipe.validation!r} needs "
                             f"validation_data (see minicnn.zoo.fit_data)")
        args["validation_data"] = validation_data
    augment = make_augment(recipe)
    if augment is not None:
        args["augment"] = augment
    callback_list = [cb for cb in (make_early_stopping(recipe),) if cb is not None]
    callback_list += list(callbacks)
    if callback_list:
        args["callbacks"] = callback_list
    return args


@dataclass
class FitData:
    """The arrays one recipe trains and tests on: ``model.fit(data.x, data.y, **fit_args(recipe,
    data.validation_data))``, then ``model.evaluate(data.x_test, data.y_test)``."""
    x: object
    y: object
    validation_data: object
    x_test: object
    y_test: object

    def __repr__(self):
        val = "None" if self.validation_data is None else len(self.validation_data[0])
        return f"FitData(train={len(self.x)}, validation={val}, test={len(self.x_test)})"


def fit_data(recipe, x_train, y_train, x_test, y_test, seed=0):
    """Apply the recipe's hold-out and validation scheme and label form to prepared images.

    ``x_*`` are float images (N, 28, 28, 1) in [0, 1] (``minicnn.datasets.prepare_images``),
    ``y_*`` integer labels. Returns a ``FitData``; labels are one-hot when the loss is
    categorical_crossentropy. Scheme "split" is left to ``fit(validation_split=...)``.
    """
    import numpy as np

    from minicnn.datasets import holdout_split, to_categorical
    if recipe.one_hot:
        y_train, y_test = to_categorical(y_train, 10), to_categorical(y_test, 10)
    held_x, held_y = x_train[:recipe.holdout], y_train[:recipe.holdout]
    x_train, y_train = x_train[recipe.holdout:], y_train[recipe.holdout:]
    validation_data = None
    if recipe.validation == "holdout":
        validation_data = (held_x, held_y)
    elif recipe.validation == "test":
        validation_data = (x_test, y_test)
    elif recipe.validation == "random_split":
        (x_train, y_train), validation_data = holdout_split(
            x_train, y_train, recipe.validation_size, shuffle=True,
            seed=np.random.default_rng(seed))
    return FitData(x_train, y_train, validation_data, x_test, y_test)


def fit_parameter_names():
    """The keyword arguments ``Sequential.fit`` accepts (besides x and y)."""
    from minicnn.models import Sequential
    return set(inspect.signature(Sequential.fit).parameters) - {"self", "x", "y"}
