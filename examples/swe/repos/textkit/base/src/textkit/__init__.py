"""Small text utilities."""
from .slug import slugify
from .wrap import wrap
from .case import title_case

__all__ = ["slugify", "wrap", "title_case"]
