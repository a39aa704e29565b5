import pytest

from textkit import wrap


def test_width_must_be_positive():
    with pytest.raises(ValueError):
        wrap("abc", 0)


def test_breaks_between_words():
    assert wrap("aaa bbb ccc", 7)[0] == "aaa bbb"


def test_empty_text():
    assert wrap("", 5) == []
