import pytest

from textkit import slugify


def test_simple_words():
    assert slugify("Hello") == "hello"


def test_accents_are_dropped():
    assert slugify("Café") == "cafe"


@pytest.mark.parametrize("text, expected", [("hello world", "hello-world"), ("one two", "one-two")])
def test_spaces_become_separators(text, expected):
    assert slugify(text) == expected
