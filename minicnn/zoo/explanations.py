"""Why a row's measured accuracy differs from the documented one: specific, with evidence.

Filled in from the full reproduction run (docs/results/reproduction.md): every row outside the
tolerance gets an entry here, keyed by ``Row.key`` = (report, experiment); the runner copies it into the table.
"""
# Report 004 trains its main model (Conv 32, pool, Conv 32, pool, Dense 128, Dense 10; SGD 0.01,
# batch 32, 5 epochs) five times with identical settings in its tab 2 and gets 84.10 ... 86.02 %
# train accuracy: its own run-to-run range is 1.92 pp, wider than the 1.5 pp tolerance. A single
# documented run can therefore sit outside the tolerance of our 3-seed mean (85.98 +- 0.30 %)
# while the report's five-run mean (84.84 %) is within it.
_TAB_2_SPREAD = ("same recipe, same code, five runs in the report's tab 2: 84.10-86.02 % (range "
                 "1.92 pp); this single run is at the low end of that range, and the report's "
                 "five-run mean 84.84 % is within tolerance of ours (+1.14 pp)")

EXPLANATIONS = {
    ("000", "No padding, large window, small strides"): (
        "+1.51 pp, 0.01 pp past the tolerance, between two single runs (the report's one run, "
        "ours 1 seed: 90.87 %). Single runs of section A's CNN spread about that much: our 3 "
        "seeds of 'No padding, small window, large strides' gave 88.87-89.69 % (std 0.42 pp), "
        "and the report's own 'no padding' rows sit 1.1-2.4 pp below the matching 'padding' "
        "rows: which convolutions were left unpadded, which the report does not say, matters "
        "here (see 'No padding, small window, small strides')"),
    ("000", "No padding, small window, small strides"): (
        "the report's code (lab1a.py) is not included, and 'no padding' is ambiguous: our "
        "recipe applies each setting to the first convolution only (for the other 'no padding' "
        "settings 'valid' in all three convolutions leaves nothing for the third block), which "
        "keeps 3x3x128 features for the classifier; ours, 1 seed: 91.52 %. For this setting "
        "alone 'valid' in all three convolutions is possible (28->26->13->11->5->3->1, 1x1x128 "
        "features): with the same recipe that model reaches 88.75 % on the test set, 0.21 pp "
        "from the report's 88.54 % (`minicnn train lab1_fashion.section_a_cnn_all_valid "
        "--dataset fashion-mnist --epochs 10 --batch-size 32 --optimizer adam --seed 0`, "
        "2026-12-02, this 2-core vm). The report's table shows the same split: its four 'no "
        "padding' rows (87.90-89.36 %) are all below its four 'padding' rows (90.08-90.91 %)"),
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
