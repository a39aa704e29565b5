def wrap(text, width):
    """Greedy word wrap: lines of at most `width` characters (longer words get a line of their own)."""
    if width < 1:
        raise ValueError("width must be positive")
    lines = []
    current = ""
    for word in text.split():
        candidate = word if not current else current + " " + word
        if len(candidate) <= width:
            current = candidate
        else:
            lines.append(current)
            current = word
    return lines
