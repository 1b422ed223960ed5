"""minicnn layers, Keras names and arguments. Each module holds one family and its math."""
from minicnn.layers.activation import Activation, LeakyReLU, ReLU, Softmax
from minicnn.layers.base import Layer
from minicnn.layers.conv import Conv2D
from minicnn.layers.core import Dense, Dropout, Flatten, Input
from minicnn.layers.pooling import MaxPool2D, MaxPooling2D

__all__ = ["Layer", "Input", "Dense", "Flatten", "Dropout", "Conv2D", "MaxPooling2D",
           "MaxPool2D", "Activation", "ReLU", "LeakyReLU", "Softmax"]
