"""The reports' architectures, rebuilt in minicnn, one module per report.

=====================  ======================================================================
module                 report (../shared/seeds/) and what it trains
=====================  ======================================================================
lab1_fashion           000 (Swedish lab 1, Fashion-MNIST): the section B/C CNN
ca2_lenet              001 (CA2, MNIST + Fashion-MNIST): LeNet-5
fashion_convnets_pl    002 (Polish, Fashion-MNIST): convNN_1 ... convNN_4
chollet_coursework     003 (Chollet 5.1 coursework, MNIST + Fashion-MNIST): the convnet and
                       its no-pooling variant
feature_maps_sgd       004 (SGD study, Fashion-MNIST): the "main model" and its
                       conv/pool on-off codes such as "1-0-1-1"
=====================  ======================================================================

Every builder returns an un-compiled ``Sequential`` for 28x28x1 inputs and 10 classes, written
as close to the report's Keras code as minicnn allows.
"""
from minicnn.zoo import ca2_lenet, chollet_coursework, fashion_convnets_pl, feature_maps_sgd, \
    lab1_fashion

__all__ = ["lab1_fashion", "ca2_lenet", "fashion_convnets_pl", "chollet_coursework",
           "feature_maps_sgd"]
