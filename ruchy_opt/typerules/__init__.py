"""The types of SSA values: one rule table (table.py, with level3.py) says what type
each op produces from its operands' types, and two analyses ask it: whole-program
inference for the compiled tiers (codegen/infer.py: one specialisation per argument
signature, array element types, calls and globals across the program) and type
specialisation's intraprocedural inference (local.py, for passes/typespec.py).

rtypes.py has the types themselves and the one mapping to and from the IR's types
(``ir_type``, ``of_ir``). Importing this package imports none of its modules.
"""
