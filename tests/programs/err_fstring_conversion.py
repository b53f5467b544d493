# A conversion character other than s, r or a: CPython's SyntaxError, before anything runs.
print("not printed")
value = 3
print(f"{value!x}")
