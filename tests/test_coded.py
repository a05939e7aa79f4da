"""osallisuus.coded builds columns from distinct values; each must equal what pandas builds from the rows."""
import numpy as np
import pandas as pd

from osallisuus.coded import Coded, categorical_of, coded, concat_columns, constant_column, plain_text, strings_of

VALUES = np.array(["b", " a", "a", "", "c", "b"], dtype=object)


def test_coded_round_trip_from_text_and_categorical():
    for column in (VALUES, pd.Series(VALUES, dtype="category")):
        col = coded(column)
        assert col.values().tolist() == VALUES.tolist()
    stripped = coded(VALUES).map(str.strip).dedupe()
    assert stripped.values().tolist() == [v.strip() for v in VALUES]
    assert len(stripped.uniques) == 4                       # " a" and "a" are one value after stripping


def test_missing_cell_of_a_categorical_is_nan():
    col = coded(pd.Categorical(["x", None, "x"]))
    assert col.values()[0] == "x" and pd.isna(col.values()[1])


def test_columns_equal_what_pandas_builds_from_the_rows():
    col = coded(VALUES)
    keep = np.array([0, 2, 4, 5])
    rows = VALUES[keep]
    pd.testing.assert_series_equal(strings_of(col.uniques, col.codes[keep]), pd.Series(rows, dtype="string"))
    assert categorical_of(col.uniques, col.codes[keep]).equals(pd.Categorical(rows.astype(str)))
    dtype = pd.CategoricalDtype(["c", "b", "a"], ordered=True)
    assert categorical_of(col.uniques, col.codes[keep], dtype).equals(pd.Categorical(rows.astype(str), dtype=dtype))


def test_constant_and_concat_keep_text_dtype():
    a = pd.DataFrame({"x": constant_column(2, "f1"), "y": pd.Categorical(["p", "q"])})
    b = pd.DataFrame({"x": constant_column(1, "f2"), "y": pd.Series(["r"], dtype=object)})
    both = concat_columns([a, b])
    assert isinstance(both["x"].dtype, pd.CategoricalDtype)           # categorical in every frame
    assert both["x"].tolist() == ["f1", "f1", "f2"] and both["y"].tolist() == ["p", "q", "r"]
    assert plain_text(a["y"]).dtype == pd.Series(["p", "q"]).dtype    # as a reader of text gives it


def test_mask_reaches_rows_through_codes():
    col = Coded(np.array([0, 1, 1, 2]), np.array(["a", "b", "c"], dtype=object))
    assert col.mask(np.array([False, True, False])).tolist() == [False, True, True, False]

