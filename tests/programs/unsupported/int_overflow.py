# expect: OverflowError: integer overflow
# CPython has big ints and prints 9223372036854775808 here; gilvm's ints are 64-bit by design.
x = 9223372036854775807
print("before", x)
x = x + 1
print("never printed", x)
