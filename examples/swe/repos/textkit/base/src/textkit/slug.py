import re
import unicodedata


def slugify(text, separator="-"):
    """Lower-case ASCII slug of `text`, words joined by `separator`."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = text.lower()
    return re.sub(r"[^a-z0-9]", separator, text)
