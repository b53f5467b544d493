# expect: SyntaxError: nonlocal is not supported
# nonlocal needs a nested def to be valid CPython, and nested defs are unsupported too, so this
# file keeps nonlocal in a top-level function: gilvm must name the nonlocal statement.
print("never printed: the whole file is rejected at compile time")
x = 1
def f():
    nonlocal x
    x = 2
