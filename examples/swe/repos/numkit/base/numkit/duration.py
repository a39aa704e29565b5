import re

_UNITS = {"h": 3600, "m": 60}
_PART = re.compile(r"(\d+)([a-z]+)")


def parse_duration(text):
    """Seconds in a duration such as '1h30m'."""
    text = text.strip().lower()
    if not text:
        raise ValueError("empty duration")
    total = 0
    for amount, unit in _PART.findall(text):
        if unit not in _UNITS:
            raise ValueError(f"unknown unit {unit!r} in {text!r}")
        total += int(amount) * _UNITS[unit]
    return total
