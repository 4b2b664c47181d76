"""The front end: source text to the AST (parser.py, ast.py).

Every run defines the AST's ~70 dataclasses first: their generated methods' code is
kept on disk (dataclass_cache.py), installed here, before any is defined."""
from .dataclass_cache import install as _install_dataclass_cache

_install_dataclass_cache()
