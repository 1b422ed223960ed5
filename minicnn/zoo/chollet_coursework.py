"""Report 003: Chollet's "Deep Learning with Python" 5.1 convnet on MNIST and Fashion-MNIST, and
the report's numbered experiments ("tests") with it.

MNIST (section 1.2 / 1.3 tables), RMSprop, batch 64, 5 epochs:
  test 1  the book's convnet, Conv 32-64-64 3x3, 2 pools, Dense 64-10       93,322 parameters
  test 2  the first two convolutions 5x5                                     106,122
  test 3  one Conv 32 + pool, no classifier (the report's run failed)         320
  test 4  Conv 32, pool, Conv 64, Dense 64-10                                515,146
  test 5  Conv 32-32, pool, Conv 32, pool, Conv 64-64, Dense 64-10            79,050
  test 6  test 1 without max-pooling                                        2,038,922
Fashion-MNIST (section 2.11 table), RMSprop, batch 64, 20 epochs, 5,000-image hold-out:
  test 7    the convnet with Dense 128-10                                    130,890
  test 7.1  + Dropout(0.3) after each pooling layer                          130,890
  test 7.2  + Dropout(0.3) after Flatten as well                             130,890
  test 8    test 7 without max-pooling                                     4,022,090
  test 9    Conv 32, pool, Dense 64-10                                       347,146
  test 9.1  + Dropout(0.3) after the pooling layer                           347,146
"""
from minicnn.layers import Conv2D, Dense, Dropout, Flatten, MaxPooling2D
from minicnn.models import Sequential


def convnet(dense_units=64, pooling=True):
    """Conv 32, pool, Conv 64, pool, Conv 64, Dense ``dense_units``, Dense 10 (3x3, ReLU)."""
    model = Sequential(input_shape=(28, 28, 1))
    model.add(Conv2D(32, (3, 3), activation="relu"))
    if pooling:
        model.add(MaxPooling2D((2, 2)))
    model.add(Conv2D(64, (3, 3), activation="relu"))
    if pooling:
        model.add(MaxPooling2D((2, 2)))
    model.add(Conv2D(64, (3, 3), activation="relu"))
    model.add(Flatten())
    model.add(Dense(dense_units, activation="relu"))
    model.add(Dense(10, activation="softmax"))
    return model


# -- MNIST, section 1.2 and 1.3 -------------------------------------------------------------------

def test_1():
    """The book's convnet (listings 5.1-5.2), also section 1.4's final MNIST model: 93,322."""
    return convnet(64)


def test_2():
    """Test 1 with 5x5 windows in the first two convolutions: 106,122 parameters."""
    model = Sequential(input_shape=(28, 28, 1))
    model.add(Conv2D(32, (5, 5), activation="relu"))
    model.add(MaxPooling2D((2, 2)))
    model.add(Conv2D(64, (5, 5), activation="relu"))
    model.add(MaxPooling2D((2, 2)))
    model.add(Conv2D(64, (3, 3), activation="relu"))
    model.add(Flatten())
    model.add(Dense(64, activation="relu"))
    model.add(Dense(10, activation="softmax"))
    return model


def test_3():
    """One Conv 32 and one max-pooling layer, no Flatten, no Dense: 320 parameters.

    Its output is (13, 13, 32), which cannot be trained against 10 class labels -- the report's
    "Test Failed"."""
    model = Sequential(input_shape=(28, 28, 1))
    model.add(Conv2D(32, (3, 3), activation="relu"))
    model.add(MaxPooling2D((2, 2)))
    return model


def test_4():
    """Conv 32, pool, Conv 64, Flatten, Dense 64-10: 515,146 parameters (the one pooling layer
    goes after the first convolution; after the second it would give 609,354)."""
    model = Sequential(input_shape=(28, 28, 1))
    model.add(Conv2D(32, (3, 3), activation="relu"))
    model.add(MaxPooling2D((2, 2)))
    model.add(Conv2D(64, (3, 3), activation="relu"))
    model.add(Flatten())
    model.add(Dense(64, activation="relu"))
    model.add(Dense(10, activation="softmax"))
    return model


def test_5():
    """Five convolutions 32-32-32-64-64, two pools, Dense 64-10: 79,050 parameters.

    The report gives only the counts; this order (Conv, Conv, pool, Conv, pool, Conv, Conv) is
    the one that gives its 79,050 (28 -> 26 -> 24 -> 12 -> 10 -> 5 -> 3 -> 1)."""
    model = Sequential(input_shape=(28, 28, 1))
    model.add(Conv2D(32, (3, 3), activation="relu"))
    model.add(Conv2D(32, (3, 3), activation="relu"))
    model.add(MaxPooling2D((2, 2)))
    model.add(Conv2D(32, (3, 3), activation="relu"))
    model.add(MaxPooling2D((2, 2)))
    model.add(Conv2D(64, (3, 3), activation="relu"))
    model.add(Conv2D(64, (3, 3), activation="relu"))
    model.add(Flatten())
    model.add(Dense(64, activation="relu"))
    model.add(Dense(10, activation="softmax"))
    return model


def test_6():
    """Test 1 without the max-pooling layers (section 1.3): 2,038,922 parameters."""
    return convnet(64, pooling=False)


# -- Fashion-MNIST, section 2.11 ------------------------------------------------------------------

def _fashion_convnet(pool_dropout=None, flatten_dropout=None):
    model = Sequential(input_shape=(28, 28, 1))
    model.add(Conv2D(32, (3, 3), activation="relu"))
    model.add(MaxPooling2D((2, 2)))
    if pool_dropout:
        model.add(Dropout(pool_dropout))
    model.add(Conv2D(64, (3, 3), activation="relu"))
    model.add(MaxPooling2D((2, 2)))
    if pool_dropout:
        model.add(Dropout(pool_dropout))
    model.add(Conv2D(64, (3, 3), activation="relu"))
    model.add(Flatten())
    if flatten_dropout:
        model.add(Dropout(flatten_dropout))
    model.add(Dense(128, activation="relu"))
    model.add(Dense(10, activation="softmax"))
    return model


def test_7():
    """The convnet with Dense 128-10, no regularisation: 130,890 parameters. Also section
    2.12's final Fashion-MNIST model as it actually ran (its Dropout lines add to ``model``,
    not ``model1``)."""
    return _fashion_convnet()


def test_7_1():
    """Test 7 with Dropout(0.3) after each max-pooling layer (the summary in section 2.6)."""
    return _fashion_convnet(pool_dropout=0.3)


def test_7_2():
    """Test 7.1 with one more Dropout(0.3) after Flatten ("the aim was to regularise test 7.1,
    therefore a dropout was added after flatten")."""
    return _fashion_convnet(pool_dropout=0.3, flatten_dropout=0.3)


def test_8():
    """Test 7 without max-pooling: 4,022,090 parameters."""
    return convnet(128, pooling=False)


def test_9(kernel_size=3, dropout=None):
    """One Conv 32, one max-pooling layer, Dense 64-10: 347,146 parameters.

    The table says 5x5, but the printed 347,146 needs a 3x3 window (13*13*32*64 + 64 = 346,176
    in the Dense layer); ``kernel_size=5`` gives the table's reading (296,458 parameters)."""
    model = Sequential(input_shape=(28, 28, 1))
    model.add(Conv2D(32, (kernel_size, kernel_size), activation="relu"))
    model.add(MaxPooling2D((2, 2)))
    if dropout:
        model.add(Dropout(dropout))
    model.add(Flatten())
    model.add(Dense(64, activation="relu"))
    model.add(Dense(10, activation="softmax"))
    return model


def test_9_1(kernel_size=3):
    """Test 9 with Dropout(0.3) after the max-pooling layer: 347,146 parameters."""
    return test_9(kernel_size, dropout=0.3)
