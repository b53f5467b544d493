# Checks an error message holding a NUL byte is printed whole, NUL included.
assert 1 == 2, "assert message with a \x00 NUL byte inside"
