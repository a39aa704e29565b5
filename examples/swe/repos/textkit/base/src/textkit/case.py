SMALL_WORDS = {"a", "an", "and", "of", "the", "in", "on", "or", "to"}


def title_case(text):
    """Title case that keeps small words lower-case, except the first word."""
    return " ".join(word.capitalize() for word in text.split())
