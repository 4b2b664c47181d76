"""The SSA IR: data structures (core), types as values (types), op definitions (opdef
and the ops_* modules), the builder, the textual form (printer, parser) and the
verifier.

Importing this package registers the built-in ops.
"""
from __future__ import annotations

from . import ops_aggregate, ops_arith, ops_closure, ops_effects, ops_values  # noqa: F401
# (importing them registers the ops)
from . import ops_typetest  # noqa: F401  (is.i64, ...: added with the type specialisation pass)
from . import enums, ops_char, ops_enum  # noqa: F401  (enum declarations, option<T>, result<T, E>; their ops)
from . import ops_sequence  # noqa: F401  (slice patterns, tuple patterns with '..')
from . import ops_library  # noqa: F401  (cast, method.pure: library calls without effects)
from . import traits  # noqa: F401  (method tables, trait impls, call_method, fmt_write)
from . import handles, ops_iter  # noqa: F401  (ranges, iterators, collections: handle types and ops)
from . import ops_typearg  # noqa: F401  (type_of, type_token, type_is: T::f() on a type parameter)
from .builder import Builder
from .core import Block, BlockParam, Function, Global, Instruction, Module, Successor, Value
from .opdef import OPS, NO_FOLD, OpDef, Sym, define, register_op
from .types import IRType, NamedType, ParamType, StructDecl, TupleType, TypeDecl, \
    register_decl, register_type

__all__ = ["Block", "BlockParam", "Builder", "Function", "Global", "IRType", "Instruction",
           "Module", "NO_FOLD", "NamedType", "OPS", "OpDef", "ParamType", "StructDecl",
           "Successor", "Sym", "TupleType", "TypeDecl", "Value", "define", "register_decl",
           "register_op", "register_type"]
