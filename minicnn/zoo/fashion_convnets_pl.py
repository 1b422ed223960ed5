"""Report 002 (Polish) on Fashion-MNIST: convNN_1 ... convNN_4, convNN_6 ... convNN_8 (appendix A).

The report writes every non-linearity as its own ``Activation`` layer after a linear Dense,
which is why its summaries have ``activation_*`` rows; minicnn keeps that form.
convNN_1: 542,230 parameters; convNN_3: 279,126; convNN_4: 3,163,426. Section 3.3 swaps the
convolution for other kinds (the report has no convNN_5): convNN_6 SeparableConv2D (541,983),
convNN_7 DepthwiseConv2D (1,995), convNN_8 Conv2DTranspose (721,430).
"""
from minicnn.layers import Activation, Conv2D, Conv2DTranspose, Dense, DepthwiseConv2D, Dropout, \
    Flatten, MaxPooling2D, SeparableConv2D
from minicnn.models import Sequential


def _conv_nn(n_conv, dense_units, dropout):
    model = Sequential()
    model.add(Conv2D(32, (3, 3), activation="relu", input_shape=(28, 28, 1)))
    model.add(MaxPooling2D((2, 2)))
    if dropout:
        model.add(Dropout(dropout))
    for _ in range(n_conv - 1):
        model.add(Conv2D(32, (3, 3), activation="relu"))
        if dropout:
            model.add(Dropout(dropout))
    model.add(Flatten())
    for units in dense_units:
        model.add(Dense(units))
        model.add(Activation("relu"))
    model.add(Dense(10))
    model.add(Activation("softmax"))
    return model


def convNN_1():
    """One Conv2D, pooling, Dense 100, Dense 10."""
    return _conv_nn(1, [100], dropout=0.0)


def convNN_3():
    """Three Conv2D (pooling after the first), Dense 100, Dense 10."""
    return _conv_nn(3, [100], dropout=0.0)


def convNN_4():
    """convNN_3 with Dropout(0.1) after each conv block and Dense 1000-500-100."""
    return _conv_nn(3, [1000, 500, 100], dropout=0.1)


def _conv_variant(first_layer, extra_layers=()):
    """002's section 3.3 pattern: one convolution layer of another kind, then the convNN_1 head."""
    model = Sequential()
    model.add(first_layer)
    for layer in extra_layers:
        model.add(layer)
    model.add(Flatten())
    model.add(Dense(100))
    model.add(Activation("relu"))
    model.add(Dense(10))
    model.add(Activation("softmax"))
    return model


def convNN_6():
    """SeparableConv2D(32, (3, 3)) + pooling: 73 + 540,900 + 1,010 = 541,983 parameters."""
    return _conv_variant(SeparableConv2D(32, (3, 3), activation="relu", input_shape=(28, 28, 1)),
                         [MaxPooling2D(pool_size=2)])


def convNN_7():
    """``DepthwiseConv2D(28, (3, 3))``: positionally a 28x28 kernel with strides 3, so one output
    pixel per image (785 parameters) and a 1-value Flatten: 785 + 200 + 1,010 = 1,995."""
    return _conv_variant(DepthwiseConv2D(28, (3, 3), activation="relu", input_shape=(28, 28, 1)))


def convNN_8():
    """Conv2DTranspose(32, (3, 3)): 28 -> 30 pixels (320 parameters), relu twice as the report
    writes it, pooling to 15x15x32: 320 + 720,100 + 1,010 = 721,430 parameters."""
    return _conv_variant(Conv2DTranspose(32, (3, 3), activation="relu", input_shape=(28, 28, 1)),
                         [Activation("relu"), MaxPooling2D(pool_size=2)])


# -- added with the rows and recipes (issue 5) --------------------------------------------------

def convNN_2():
    """convNN_1 with Dropout(0.15) after the pooling layer (rys. 2.3): 542,230 parameters."""
    return _conv_nn(1, [100], dropout=0.15)


def convNN_3a():
    """convNN_3 with Dropout(0.1) after each conv block (rys. 2.5): 279,126 parameters."""
    return _conv_nn(3, [100], dropout=0.1)


def grid_search_mlp(num_unit=500, dropout_rate=0.0, activation="relu",
                    initializer="lecun_uniform"):
    """Section 3.4's grid-searched MLP (appendix A's ``build_model``), defaults = "Best model".

    Flatten, three Dense(num_unit) each followed by Dropout(dropout_rate), Dense 10 softmax.
    With 500 units: 392,500 + 250,500 + 250,500 + 5,010 = 898,510 parameters (not printed in the
    report). Dropout(0) is kept, as the report's code adds it: it is the identity.
    """
    from minicnn.layers import Dropout as DropoutLayer
    model = Sequential(input_shape=(28, 28, 1))
    model.add(Flatten())
    for _ in range(3):
        model.add(Dense(num_unit, activation=activation, kernel_initializer=initializer))
        model.add(DropoutLayer(dropout_rate))
    model.add(Dense(10, activation="softmax"))
    return model


def vgg16_conv_base(input_shape=(48, 48, 3)):
    """VGG16's convolutional base (``include_top=False``) on 48x48x3 inputs, as section 3.5
    prints it: 13 Conv2D 3x3 'same' ReLU in five blocks, 2x2 max-pooling after each block,
    (1, 1, 512) out, 14,714,688 parameters.

    Architecture only: the report uses ImageNet weights, which cannot be fetched here, so its
    result is not reproducible; this builds the base with glorot_uniform weights.
    """
    model = Sequential(input_shape=input_shape, name="vgg16")
    for block, (filters, convs) in enumerate([(64, 2), (128, 2), (256, 3), (512, 3), (512, 3)], 1):
        for i in range(1, convs + 1):
            model.add(Conv2D(filters, (3, 3), padding="same", activation="relu",
                             name=f"block{block}_conv{i}"))
        model.add(MaxPooling2D((2, 2), name=f"block{block}_pool"))
    return model


def vgg16_head():
    """The dense head section 3.5 trains on VGG16's 512 features per image:
    Dense 512 ReLU, LeakyReLU(alpha=0.1), Dense 10 softmax -- 262,656 + 5,130 = 267,786
    parameters (not printed in the report)."""
    from minicnn.layers import LeakyReLU
    model = Sequential(input_shape=(512,))
    model.add(Dense(512, activation="relu"))
    model.add(LeakyReLU(alpha=0.1))
    model.add(Dense(10, activation="softmax"))
    return model


def resnet(num_filters=64, num_blocks=4, num_sub_blocks=2, use_max_pool=False):
    """Appendix A's small ResNet (Keras functional API in the report), with ``Residual`` blocks.

    Conv 64@7x7 stride 2 'same' + BatchNormalization + ReLU; ``num_blocks`` stages of
    ``num_sub_blocks`` residual blocks (Conv-BN-ReLU-Conv-BN, added to the input -- through a
    1x1 stride-2 Conv when the block downsamples, at the first block of every stage but the
    first -- then ReLU), the filters doubling after each stage (64, 128, 256, 512);
    AveragePooling2D(), Flatten, Dense 10 softmax. he_normal kernels, l2(1e-4) on every
    convolution. 11,186,186 parameters, 7,808 of them BatchNormalization's moving statistics
    (the report prints no summary). The report prints no result for it either.
    """
    from minicnn.layers import Activation as Act
    from minicnn.layers import AveragePooling2D, BatchNormalization, Residual
    from minicnn.regularizers import l2

    def conv(filters, kernel_size, strides=1):
        return Conv2D(filters, kernel_size, strides=strides, padding="same",
                      kernel_initializer="he_normal", kernel_regularizer=l2(1e-4))

    model = Sequential(input_shape=(28, 28, 1))
    model.add(conv(num_filters, 7, strides=2))
    model.add(BatchNormalization())
    model.add(Act("relu"))
    if use_max_pool:
        model.add(MaxPooling2D(pool_size=3, padding="same", strides=2))
        num_blocks = 3
    for i in range(num_blocks):
        for j in range(num_sub_blocks):
            downsample = j == 0 and i > 0
            strides = 2 if downsample else 1
            main = [conv(num_filters, 3, strides), BatchNormalization(), Act("relu"),
                    conv(num_filters, 3), BatchNormalization()]
            shortcut = [conv(num_filters, 1, strides=2)] if downsample else []
            model.add(Residual(main, shortcut, activation="relu"))
        num_filters = 2 * num_filters
    model.add(AveragePooling2D())
    model.add(Flatten())
    model.add(Dense(10, activation="softmax", kernel_initializer="he_normal"))
    return model
