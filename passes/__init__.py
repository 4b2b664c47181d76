"""The built-in passes. Each module is written exactly as a plugin would be: it uses only
the public API (``ruchy_opt.passmgr`` and ``ruchy_opt.ir``), so each is also an example
for pass authors. The registry (ruchy_opt/passmgr/registry.py) imports a pass's module
the first time a pipeline names it.
"""
