"""minicnn layers, Keras names and arguments. Each module holds one family and its math."""
from minicnn.layers.activation import Activation, LeakyReLU, ReLU, Softmax
from minicnn.layers.base import Layer
from minicnn.layers.conv import Conv2D
from minicnn.layers.core import Dense, Dropout, Flatten, Input
from minicnn.layers.depthwise import DepthwiseConv2D, SeparableConv2D
from minicnn.layers.normalization import BatchNormalization
from minicnn.layers.pooling import AveragePooling2D, AvgPool2D, GlobalAveragePooling2D, \
    GlobalAvgPool2D, GlobalMaxPool2D, GlobalMaxPooling2D, MaxPool2D, MaxPooling2D
from minicnn.layers.reshaping import Reshape, ZeroPadding2D
from minicnn.layers.residual import Residual
from minicnn.layers.transpose import Conv2DTranspose

__all__ = ["Layer", "Input", "Dense", "Flatten", "Dropout", "Conv2D", "MaxPooling2D",
           "MaxPool2D", "Activation", "ReLU", "LeakyReLU", "Softmax",
           "BatchNormalization", "AveragePooling2D", "AvgPool2D", "GlobalAveragePooling2D",
           "GlobalAvgPool2D", "GlobalMaxPooling2D", "GlobalMaxPool2D", "DepthwiseConv2D",
           "SeparableConv2D", "Conv2DTranspose", "Residual", "Reshape", "ZeroPadding2D"]
