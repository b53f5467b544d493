# Checks int / 0 raises ZeroDivisionError: division by zero, after earlier output.
def ratio(a, b):
    return a / b
print(ratio(1, 2))
print(ratio(7, -2))
print(ratio(5, 0))
print("not reached")
