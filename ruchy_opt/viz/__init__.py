"""Graphviz drawings of every stage: the AST as a tree, SSA functions as CFGs
(``--dump-cfg[=DIR]``)."""
