from .stats import mean, median
from .duration import parse_duration

__all__ = ["mean", "median", "parse_duration"]
