"""Why a row's measured accuracy differs from the documented one: specific, with evidence.

Filled in from the full reproduction run (docs/results/reproduction.md): every row outside the
tolerance gets an entry here, keyed by ``Row.key`` = (report, experiment), and so does a row whose
recipe was chosen after seeing results; the runner copies it into the table.
"""
# Report 004 trains its main model (Conv 32, pool, Conv 32, pool, Dense 128, Dense 10; SGD 0.01,
# batch 32, 5 epochs) five times with identical settings in its tab 2 and gets 84.10 ... 86.02 %
# train accuracy: its own run-to-run range is 1.92 pp, wider than the 1.5 pp tolerance. A single
# documented run can therefore sit outside the tolerance of our 3-seed mean (85.98 +- 0.30 %)
# while the report's five-run mean (84.84 %) is within it.
_TAB_2_SPREAD = ("same recipe, same code, five runs in the report's tab 2: 84.10-86.02 % (range "
                 "1.92 pp); this single run is at the low end of that range, and the report's "
                 "five-run mean 84.84 % is within tolerance of ours (+1.14 pp)")

# Report 000's two stride-1 "no padding" rows: within tolerance, but under a reading of "no
# padding" chosen after the first reading's runs (docs/zoo.md) -- said next to their numbers.
_000_STRIDE_1_READING = (
    "recipe chosen after results: 'valid' in all three convolutions, picked after the first "
    "reading (first convolution only) gave 91.52 % and 90.87 % (1 seed each) and this one's "
    "test accuracy was already known; the report's code is not included (docs/zoo.md)")

EXPLANATIONS = {
    ("000", "No padding, large window, large strides"): (
        "+2.31 pp over 3 seeds (90.08-90.36 %, std 0.14 pp): not run-to-run spread. The report "
        "defines neither 'large window' nor 'large strides' nor which convolutions go unpadded "
        "(its code is not included); ours -- 5x5, stride 2, 'valid' in the first convolution "
        "only, since 'valid' in all three leaves nothing for the third block (28->12->6->4->2->0) "
        "-- differs from its padded twin only in the first two blocks' feature maps (12x12 and "
        "6x6 instead of 14x14 and 7x7), and measures 0.43 pp below it (twin: 90.64 +- 0.18 %, "
        "3 seeds, within tolerance of the report's 90.29). The report's gap is 2.39 pp: its "
        "four no-padding rows all lie 1.1-2.4 pp below their padding twins, and this one is "
        "its lowest CNN. Its unpadded large-stride model must differ from ours in a way the "
        "report does not describe"),
    ("000", "Fully connected, image augmentation"): (
        "-9.41 pp over 3 seeds (75.67-76.85 %, std 0.61 pp): the augmentation, not the model. "
        "The same network and recipe without augmentation gives 88.14 % against the report's "
        "88.37 (row 'Fully connected'); the report names no augmentation settings, and ours "
        "(rotation 20, zoom 0.15, shifts 0.2, horizontal flips: the pyimagesearch settings, "
        "see the recipe notes) cost a fully connected network 12.0 pp, where the report lost "
        "2.8 pp (88.37 -> 85.57). A dense layer sees each pixel position as its own input, so "
        "shifts of up to 5.6 pixels and 20-degree rotations on every batch move most of what it "
        "learns; the report's augmentation must have been much milder. Not tuned to match: "
        "choosing milder settings now would be fitting the documented number"),
    ("000", "Padding, small window, small strides, dropout, l2 regularizer, image "
            "augmentation"): (
        "-5.76 pp (1 seed: 83.83 %): the report names neither the L2 factor nor the "
        "augmentation, and ours are both guesses (l2 0.001 on every hidden kernel, Chollet's "
        "value; the augmentation of 'Fully connected, image augmentation'). The same model "
        "without them matches (row '...droput': 91.17 % against 91.35), so the gap is theirs: "
        "ours cost 7.3 pp where the report lost 1.8 (91.35 -> 89.59). The same augmentation "
        "costs our fully connected model 12.0 pp against the report's 2.8 (that row's "
        "explanation): it is far stronger than the report's. Not retuned to match"),
    ("000", "No padding, small window, small strides"): _000_STRIDE_1_READING,
    ("000", "No padding, large window, small strides"): _000_STRIDE_1_READING,
    ("004", "tab 2: Main model, run 3"): _TAB_2_SPREAD,
    ("004", "tab 2: Main model, run 5"): _TAB_2_SPREAD,
    ("004", "tab 3.2: 3 feature maps"): (
        "one run in the report, and its tab 3.2 is not monotone in the number of maps (1 map: "
        "78.60 % > 2 maps: 78.00 %), so the report's single runs of these tiny models vary by "
        "at least 0.6 pp against the trend; ours with 3 seeds: 82.89 +- 0.55 %, between the "
        "report's 4 maps (82.80 %) and 8 maps (83.40 %) -- the order one expects. Tiny models "
        "are the most seed-sensitive: our 4-map runs spread 1.45 pp (std)"),
    ("004", "tab 3.2: 2 feature maps"): (
        "one run in the report, below its own 1-map result (78.00 % vs 78.60 %): the report's "
        "tab 3.2 is not monotone, a sign of run-to-run noise in these tiny models (our 4-map "
        "runs: std 1.45 pp). Ours: 81.10 +- 0.40 % over 3 seeds, between our 1-map "
        "(78.57 %) and 3-map (82.89 %) models"),
    ("004", "tab 5: 10 epochs"): (
        "one run each (the report trains once per epoch count; we read one 100-epoch run "
        "after epoch 10). The report's own numbers for the same model at 5 epochs differ by "
        "1.91 pp between its tab 5 (86.70 %) and tab 7 (84.79 %), more than this row's "
        "difference (-1.65 pp); our 5-, 20- and 25-epoch readings of the same run are within "
        "tolerance"),
}


def explanation(row):
    """The written explanation for ``row`` ("" if none)."""
    return EXPLANATIONS.get(row.key, "")
