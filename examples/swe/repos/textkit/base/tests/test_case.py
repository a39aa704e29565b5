from textkit import title_case


def test_capitalizes_words():
    assert title_case("hello world") == "Hello World"


def test_single_word():
    assert title_case("python") == "Python"
