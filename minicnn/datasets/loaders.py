"""``load_mnist`` / ``load_fashion_mnist``: the data sets as keras.datasets gives them.

The full data is looked for in this order, and the first place holding any
of the four files is used (and must then hold all four, undamaged):

1. ``path=`` -- a directory with the IDX files (or with a ``<name>/``
   sub-directory holding them); nothing else is tried when it is given;
2. ``$MINICNN_DATA/<name>/``;
3. the user cache ``<cache>/<name>/`` (``$XDG_CACHE_HOME/minicnn`` or
   ``~/.cache/minicnn``), where ``minicnn data fetch NAME`` puts it;
4. where an OS package installs it (Debian's ``dataset-fashion-mnist``:
   ``/usr/share/datasets/fashion-mnist``).

Each file may be raw or gzip (``train-images-idx3-ubyte`` or ``...ubyte.gz``;
the ``train-images.idx3-ubyte`` spelling of some mirrors is accepted too).
Every file is checked -- IDX structure, shape, SHA-256 of the decompressed
bytes -- on every load, so damaged data raises instead of training silently
on garbage. With ``subset="embedded"`` the small real subset shipped in the
package is returned instead; with ``subset="auto"``, the full data if found,
else the embedded subset.
"""
import os
import sys
from pathlib import Path

from minicnn.datasets.catalog import get_spec
from minicnn.datasets.embedded import embedded_path, load_embedded
from minicnn.datasets.errors import DatasetError
from minicnn.datasets.fetch import default_cache_dir, verify_idx_file

SUBSETS = (None, "auto", "embedded")


def candidate_names(file):
    """File names accepted for ``file`` (an IdxFileSpec), in order of preference."""
    dotted = file.name.replace("-idx", ".idx")     # train-images.idx3-ubyte
    return (file.name, f"{file.name}.gz", dotted, f"{dotted}.gz")


def find_idx_files(directory, spec):
    """Map each file name of ``spec`` to its path in ``directory`` (None if absent)."""
    directory = Path(directory)
    found = {}
    for file in spec.files:
        paths = [directory / name for name in candidate_names(file)]
        found[file.name] = next((p for p in paths if p.is_file()), None)
    return found


def search_dirs(spec, path=None):
    """The directories searched for ``spec``'s files, as (label, Path) pairs, in order."""
    if path is not None:
        path = Path(path).expanduser()
        return [("path=", path), ("path=", path / spec.name)]
    dirs = []
    if os.environ.get("MINICNN_DATA"):
        dirs.append(("MINICNN_DATA", Path(os.environ["MINICNN_DATA"]).expanduser() / spec.name))
    dirs.append(("cache", default_cache_dir() / spec.name))
    dirs.extend(("system", Path(d)) for d in spec.system_dirs)
    return dirs


def find_dataset_dir(spec, path=None):
    """The first searched directory holding any of ``spec``'s files, or None.

    Raises DatasetError if ``path`` is given but is not a directory holding
    them (an explicit path is never silently replaced by another source).
    """
    for _, directory in search_dirs(spec, path):
        if any(find_idx_files(directory, spec).values()):
            return directory
    if path is not None:
        looked_for = ", ".join(f"{file.name}[.gz]" for file in spec.files)
        raise DatasetError(
            f"{Path(path).expanduser()}: no {spec.name} files there or in its "
            f"{spec.name}/ sub-directory (looked for {looked_for})")
    return None


def load_idx_dataset(directory, spec):
    """Read and verify the four files of ``spec`` from ``directory``.

    Returns (x_train, y_train), (x_test, y_test): uint8 (N, 28, 28) and uint8 (N,).
    """
    found = find_idx_files(directory, spec)
    absent = [name for name, p in found.items() if p is None]
    if absent:
        raise DatasetError(
            f"{directory}: incomplete {spec.name}: {', '.join(absent)} missing; "
            f"run `minicnn data fetch {spec.name}`")
    arrays = []
    for file in spec.files:
        _, array = verify_idx_file(found[file.name], file)
        arrays.append(array)
    x_train, y_train, x_test, y_test = arrays
    return (x_train, y_train), (x_test, y_test)


def _not_found_message(spec):
    places = ", ".join(f"{d}" for _, d in search_dirs(spec))
    return (f"{spec.name} not found (searched {places}). Fetch it with "
            f"`minicnn data fetch {spec.name}`, pass path= to a directory "
            f"holding the IDX files, or use subset=\"embedded\" for the small "
            f"subset shipped with minicnn")


def load_dataset(name, path=None, subset=None, verbose=True):
    """Load "mnist" or "fashion-mnist" like ``keras.datasets.<name>.load_data()``.

    Parameters
    ----------
    name : str
        "mnist" or "fashion-mnist".
    path : str or Path, optional
        A directory holding the four IDX files (raw or .gz).
    subset : None, "auto" or "embedded"
        None: the full data, or DatasetError saying how to fetch it.
        "embedded": the real 10,000 / 2,000-image subset shipped in the package.
        "auto": the full data if found, else the embedded subset.
    verbose : bool
        Print one line on stderr saying what was loaded and from where, e.g.
        ``loaded fashion-mnist (60000/10000) from ~/.cache/minicnn/fashion-mnist``.

    Returns
    -------
    (x_train, y_train), (x_test, y_test)
        x: uint8 (N, 28, 28), values 0..255; y: uint8 (N,), values 0..9.
        Full data: N = 60,000 train / 10,000 test.
    """
    spec = get_spec(name)
    if subset not in SUBSETS:
        raise ValueError(f"subset must be one of {SUBSETS}, got {subset!r}")
    directory = None if subset == "embedded" else find_dataset_dir(spec, path)
    if directory is not None:
        data = load_idx_dataset(directory, spec)
        where = str(directory)
    elif subset is None:
        raise DatasetError(_not_found_message(spec))
    else:
        data = load_embedded(spec.name)
        where = f"the embedded subset ({embedded_path(spec.name)})"
        if subset == "auto":
            where += (f"; full data not found, run `minicnn data fetch "
                      f"{spec.name}` for it")
    if verbose:
        (x_train, _), (x_test, _) = data
        print(f"loaded {spec.name} ({len(x_train)}/{len(x_test)}) from {where}",
              file=sys.stderr, flush=True)
    return data


def load_mnist(path=None, subset=None, verbose=True):
    """MNIST digits: (x_train, y_train), (x_test, y_test). See load_dataset."""
    return load_dataset("mnist", path=path, subset=subset, verbose=verbose)


def load_fashion_mnist(path=None, subset=None, verbose=True):
    """Fashion-MNIST: (x_train, y_train), (x_test, y_test). See load_dataset."""
    return load_dataset("fashion-mnist", path=path, subset=subset, verbose=verbose)
