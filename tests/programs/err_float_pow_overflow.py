# Checks float ** that overflows is CPython's OverflowError, while the other float operations and
# underflowing powers still give inf and 0.0.
print(10.0 ** 300, 2.0 ** -1080, 10 ** -400, 1e308 * 10, -1e308 * 10)
print(float("inf") ** 2, 2.0 ** float("inf"), (-8.0) ** 3, 0.5 ** 2000)
print(10.0 ** 400)
