# floor, ceil and trunc give ints; the tests isfinite, isinf, isnan, isclose.
import math
for x in [2.5, -2.5, 3, -3, 0.0, -0.0, 1e15 + 0.5, -7.999, True, 2 ** 52 + 0.5]:
    print(x, math.floor(x), math.ceil(x), math.trunc(x))
for x in [0, 1.5, math.inf, -math.inf, math.nan, 1e308 * 10]:
    print(x, math.isfinite(x), math.isinf(x), math.isnan(x))
print(math.isclose(1.0, 1.0 + 1e-10), math.isclose(1.0, 1.1), math.isclose(0, 1e-12), math.isclose(0, 1e-12, abs_tol=1e-9))
print(math.isclose(100, 101, rel_tol=0.01), math.isclose(100, 102, rel_tol=0.01), math.isclose(math.inf, math.inf), math.isclose(math.nan, math.nan))
