"""A test plugin that fails to import."""
import ruchy_opt.no_such_module  # noqa: F401
