"""Example ruchy-opt plugin package: a Hello pass and a small strength reduction."""
