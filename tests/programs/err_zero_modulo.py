# Checks int % 0 raises ZeroDivisionError with CPython 3.11's message (integer modulo by zero).
n = 17
print(n % 5)
m = n - 17
print(n % m)
