"""Tests of minicnn.datasets.Augment and affine_transform.

Each transform is checked by what it does to a known image (mass centre,
spread, np.rot90, mirroring), and the vectorised resampler against a naive
per-pixel loop written straight from the module docstring's formula.
"""
import math

import numpy as np
import pytest

from minicnn.datasets import Augment, affine_transform, load_mnist, prepare_images


def blob(height=28, width=28, centre=(13.5, 13.5), sigma=2.5, n=1):
    """(n, H, W, 1) float64 batch of one Gaussian blob, mass ~ 2 pi sigma^2."""
    rows, cols = np.mgrid[0:height, 0:width]
    image = np.exp(-((rows - centre[0]) ** 2 + (cols - centre[1]) ** 2) / (2 * sigma ** 2))
    return np.repeat(image[None, :, :, None], n, axis=0)


def mass_centre(batch):
    """(N, H, W, 1) -> (N, 2) centre of mass (row, col) of each image."""
    images = batch[..., 0]
    rows, cols = np.mgrid[0:images.shape[1], 0:images.shape[2]]
    mass = images.sum(axis=(1, 2))
    return np.stack([(images * rows).sum(axis=(1, 2)) / mass,
                     (images * cols).sum(axis=(1, 2)) / mass], axis=1)


def spread(batch):
    """(N, H, W, 1) -> (N,) root-mean-square distance of the mass from its centre."""
    images = batch[..., 0]
    rows, cols = np.mgrid[0:images.shape[1], 0:images.shape[2]]
    centre = mass_centre(batch)
    d2 = ((rows - centre[:, 0, None, None]) ** 2 + (cols - centre[:, 1, None, None]) ** 2)
    return np.sqrt((images * d2).sum(axis=(1, 2)) / images.sum(axis=(1, 2)))


def naive_affine(image, angle, shift_x, shift_y, zoom_x, zoom_y, flip, fill_mode, cval):
    """The documented inverse mapping, one output pixel at a time (bilinear).

    image: (H, W, C). Returns (H, W, C).
    """
    height, width, _ = image.shape
    cy, cx = (height - 1) / 2, (width - 1) / 2
    a = math.radians(angle)
    out = np.empty_like(image)

    def pixel(r, c):
        if 0 <= r < height and 0 <= c < width:
            return image[r, c]
        if fill_mode == "nearest":
            return image[min(max(r, 0), height - 1), min(max(c, 0), width - 1)]
        return np.full(image.shape[2], cval)

    for r in range(height):
        for c in range(width):
            dx, dy = c - cx - shift_x, r - cy - shift_y
            sx = zoom_x * (math.cos(a) * dx - math.sin(a) * dy)
            sy = zoom_y * (math.sin(a) * dx + math.cos(a) * dy)
            if flip:
                sx = -sx
            y, x = cy + sy, cx + sx
            y = min(max(y, -1.0), height)       # beyond one pixel out: all fill
            x = min(max(x, -1.0), width)
            r0, c0 = math.floor(y), math.floor(x)
            wy, wx = y - r0, x - c0
            out[r, c] = ((1 - wy) * ((1 - wx) * pixel(r0, c0) + wx * pixel(r0, c0 + 1))
                         + wy * ((1 - wx) * pixel(r0 + 1, c0) + wx * pixel(r0 + 1, c0 + 1)))
    return out


@pytest.mark.parametrize("fill_mode", ["nearest", "constant"])
def test_vectorised_matches_naive_loop(fill_mode):
    rng = np.random.default_rng(0)
    x = rng.random((40, 7, 5, 2))            # non-square, 2 channels, > one chunk
    params = {"angle": rng.uniform(-180, 180, 40), "shift_x": rng.uniform(-3, 3, 40),
              "shift_y": rng.uniform(-3, 3, 40), "zoom_x": rng.uniform(0.5, 1.5, 40),
              "zoom_y": rng.uniform(0.5, 1.5, 40), "flip": rng.random(40) < 0.5}
    fast = affine_transform(x, **params, fill_mode=fill_mode, cval=0.25)
    for i in range(len(x)):
        one = {key: value[i] for key, value in params.items()}
        naive = naive_affine(x[i], **one, fill_mode=fill_mode, cval=0.25)
        np.testing.assert_allclose(fast[i], naive, atol=1e-12, err_msg=f"image {i}: {one}")


def test_shift_moves_mass_centre_by_k():
    x = blob(sigma=1.5)         # no mass near the border to lose; constant fill
    for k in (1, 3, -4):
        moved = affine_transform(x, shift_x=k, fill_mode="constant")
        np.testing.assert_allclose(mass_centre(moved) - mass_centre(x), [[0, k]], atol=1e-6)
        moved = affine_transform(x, shift_y=k, fill_mode="constant")
        np.testing.assert_allclose(mass_centre(moved) - mass_centre(x), [[k, 0]], atol=1e-6)
    # A whole-pixel shift is exact: np.roll of an image with an empty border.
    digit = blob(sigma=1.5)
    np.testing.assert_allclose(affine_transform(digit, shift_x=2, shift_y=-3),
                               np.roll(digit, (-3, 2), axis=(1, 2)), atol=1e-6)


def test_random_shifts_stay_in_range():
    x = blob(sigma=1.5, n=300)
    # An int range shifts by whole pixels, -3..3.
    pixels = Augment(width_shift_range=3, fill_mode="constant", seed=1)(x)
    moves = mass_centre(pixels)[:, 1] - 13.5
    np.testing.assert_allclose(moves, np.round(moves), atol=1e-6)
    assert set(np.round(moves).astype(int)) == set(range(-3, 4))
    # A float < 1 is a fraction of the height: up to 0.1 * 28 = 2.8 pixels.
    fraction = Augment(height_shift_range=0.1, fill_mode="constant", seed=1)(x)
    moves = mass_centre(fraction)[:, 0] - 13.5
    assert np.abs(moves).max() <= 2.8 + 1e-6 and np.abs(moves).max() > 2.0
    np.testing.assert_allclose(mass_centre(fraction)[:, 1], 13.5, atol=1e-6)


def test_horizontal_flip_mirrors():
    x = np.random.default_rng(2).random((4, 6, 9, 3))
    np.testing.assert_array_equal(affine_transform(x, flip=True), x[:, :, ::-1])
    batch = np.random.default_rng(3).random((64, 10, 10, 1))
    out = Augment(horizontal_flip=True, seed=0)(batch)
    mirrored = [np.array_equal(o, b[:, ::-1]) for o, b in zip(out, batch)]
    unchanged = [np.array_equal(o, b) for o, b in zip(out, batch)]
    assert all(m != u for m, u in zip(mirrored, unchanged))
    assert 16 < sum(mirrored) < 48


def test_rotation_by_90_degrees_is_rot90():
    x = np.zeros((1, 28, 28, 1))
    x[0, 4:12, 9:22, 0] = np.arange(104).reshape(8, 13)      # asymmetric content
    np.testing.assert_allclose(affine_transform(x, angle=90), np.rot90(x, 1, axes=(1, 2)),
                               atol=1e-9)
    np.testing.assert_allclose(affine_transform(x, angle=-90), np.rot90(x, -1, axes=(1, 2)),
                               atol=1e-9)
    np.testing.assert_allclose(affine_transform(x, angle=180), np.rot90(x, 2, axes=(1, 2)),
                               atol=1e-9)


def test_random_rotation_stays_in_range():
    x = np.zeros((200, 28, 28, 1))
    x[:, 13:15, 6:22] = 1.0                   # a horizontal bar through the centre
    out = Augment(rotation_range=30, fill_mode="constant", seed=4)(x)
    rows, cols = np.mgrid[0:28, 0:28]
    images = out[..., 0]
    mass = images.sum(axis=(1, 2))
    cov_rc = (images * (rows - 13.5) * (cols - 13.5)).sum(axis=(1, 2)) / mass
    var_c = (images * (cols - 13.5) ** 2).sum(axis=(1, 2)) / mass
    var_r = (images * (rows - 13.5) ** 2).sum(axis=(1, 2)) / mass
    # The bar's direction (principal axis) in degrees, counter-clockwise as displayed.
    angles = -np.degrees(0.5 * np.arctan2(2 * cov_rc, var_c - var_r))
    assert np.abs(angles).max() <= 30.5 and np.abs(angles).max() > 25
    assert (angles > 5).any() and (angles < -5).any()


def test_zoom_changes_spread_the_right_way():
    x = blob(sigma=2.5)
    base = spread(x)[0]
    # Keras's convention: factor 2 samples twice as far out -> content half as big.
    np.testing.assert_allclose(spread(affine_transform(x, zoom_x=2, zoom_y=2))[0], base / 2,
                               rtol=0.05)
    np.testing.assert_allclose(spread(affine_transform(x, zoom_x=0.5, zoom_y=0.5))[0],
                               base * 2, rtol=0.05)
    out = Augment(zoom_range=0.2, seed=5)(blob(n=200))
    ratio = spread(out) / base
    assert ratio.min() > 1 / 1.2 - 0.02 and ratio.max() < 1 / 0.8 + 0.02
    assert ratio.min() < 0.9 and ratio.max() > 1.1


def test_noise_has_requested_std():
    x = np.full((64, 28, 28, 1), 0.5, dtype=np.float32)
    out = Augment(noise_std=0.1, seed=6)(x)
    noise = out - x
    assert out.dtype == np.float32
    assert abs(noise.std() - 0.1) < 0.002 and abs(noise.mean()) < 0.002


def test_same_seed_same_batch_and_rng_argument():
    (x_train, _), _ = load_mnist(subset="embedded", verbose=False)
    x = prepare_images(x_train[:50])
    settings = dict(rotation_range=15, width_shift_range=0.1, height_shift_range=0.1,
                    zoom_range=0.1, horizontal_flip=True, noise_std=0.05)
    a, b = Augment(**settings, seed=7), Augment(**settings, seed=7)
    first = a(x)
    np.testing.assert_array_equal(first, b(x))
    assert not np.array_equal(first, a(x))                  # the generator moves on
    assert not np.array_equal(first, Augment(**settings, seed=8)(x))
    np.testing.assert_array_equal(a(x, np.random.default_rng(1)),
                                  b(x, np.random.default_rng(1)))
    assert first.shape == x.shape and first.dtype == np.float32
    np.testing.assert_array_equal(x, prepare_images(x_train[:50]))   # input untouched


def test_identity_and_fill_modes():
    x = np.random.default_rng(9).random((3, 8, 8, 1)).astype(np.float64)
    out = Augment(seed=0)(x)
    np.testing.assert_array_equal(out, x)
    assert out is not x and out.dtype == np.float64
    ones = np.ones((1, 8, 8, 1))
    np.testing.assert_array_equal(affine_transform(ones, shift_x=3), ones)   # nearest
    constant = affine_transform(ones, shift_x=3, fill_mode="constant", cval=0.0)
    assert constant[0, :, :3].max() == 0 and constant[0, :, 3:].min() == 1


def test_bad_arguments():
    with pytest.raises(ValueError, match=r"float images"):
        Augment(noise_std=0.1)(np.zeros((1, 4, 4, 1), dtype=np.uint8))
    with pytest.raises(ValueError, match=r"\(N, H, W, C\), got \(4, 4\)"):
        Augment()(np.zeros((4, 4)))
    with pytest.raises(ValueError, match=r"fill_mode"):
        Augment(fill_mode="wrap")
    with pytest.raises(ValueError, match=r"rotation_range must be >= 0"):
        Augment(rotation_range=-5)
    assert repr(Augment(rotation_range=10, zoom_range=(0.9, 1.2), seed=0)) == \
        "Augment(rotation_range=10, zoom_range=(0.9, 1.2), seed=0)"


def test_nearest_interpolation():
    x = np.random.default_rng(10).random((3, 8, 8, 2))
    nearest = dict(interpolation="nearest", fill_mode="constant")
    np.testing.assert_array_equal(affine_transform(x, angle=90, **nearest),
                                  np.rot90(x, 1, axes=(1, 2)))
    np.testing.assert_array_equal(affine_transform(x, shift_x=0.4, **nearest), x)
    np.testing.assert_array_equal(affine_transform(x, shift_x=0.6, shift_y=-1.3, **nearest),
                                  affine_transform(x, shift_x=1, shift_y=-1, **nearest))


def test_fit_applies_augment_to_every_training_batch_only():
    """fit(augment=...) transforms each training batch with fit's generator; validation is not."""
    import minicnn
    from minicnn.layers import Dense, Flatten

    rng = np.random.default_rng(0)
    x = rng.random((20, 6, 6, 1)).astype(np.float32)
    y = np.arange(20) % 2
    seen = []

    class Recording(Augment):
        def __call__(self, x_batch, rng=None):
            seen.append(x_batch.shape[0])
            return super().__call__(x_batch, rng)

    model = minicnn.Sequential([Flatten(), Dense(2, activation="softmax")], input_shape=(6, 6, 1))
    model.compile("sgd", "sparse_categorical_crossentropy")
    augment = Recording(width_shift_range=1, horizontal_flip=True)
    model.fit(x, y, batch_size=8, epochs=2, validation_split=0.2, augment=augment, verbose=0, seed=3)
    assert seen == [8, 8] * 2                 # 16 training samples -> 2 batches per epoch
    # the same seed replays the same augmented batches: identical weights
    first = model.get_weights()
    minicnn.set_seed(0)
    again = minicnn.Sequential([Flatten(), Dense(2, activation="softmax")], input_shape=(6, 6, 1))
    again.set_weights([np.zeros_like(w) for w in first])
    model.set_weights([np.zeros_like(w) for w in first])
    model.fit(x, y, batch_size=8, epochs=1, augment=augment, verbose=0, seed=5)
    again.compile("sgd", "sparse_categorical_crossentropy")
    again.fit(x, y, batch_size=8, epochs=1, augment=augment, verbose=0, seed=5)
    for a, b in zip(model.get_weights(), again.get_weights()):
        np.testing.assert_array_equal(a, b)
