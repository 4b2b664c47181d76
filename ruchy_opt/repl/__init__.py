"""``ruchy-opt repl``: an interactive Ruchy session with the tiered runtime behind it
(docs/repl.md).

| module | what |
| --- | --- |
| ``main.py`` | the command line; a terminal or a pipe |
| ``terminal.py`` | the prompt: line editing, history, multi-line inputs |
| ``reader.py`` | when an input is complete (the lexer); inputs from a pipe |
| ``commands.py`` | ``:help``, ``:type``, ``:ast``, ``:ssa``, ... and the dispatch |
| ``session.py`` | the session's definitions and variables; running one input |
| ``build.py`` | the program an input runs as |
| ``jitstate.py`` | the tiered runtime across inputs: heat, compiled code, classes |
| ``execute.py`` | an input on its own thread: Ctrl-C, errors in compiled code |
| ``inspect.py`` | ``:ssa``, ``:llvm``, ``:asm`` |
| ``printing.py`` | type names, the profile and ``:jit`` listings, the help |
| ``source.py`` | the session's text and the positions diagnostics show |
"""
