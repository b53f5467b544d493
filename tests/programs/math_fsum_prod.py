# fsum is exact where sum is not; prod with a start.
import math
print(sum([0.1] * 10), math.fsum([0.1] * 10), math.fsum([1e100, 1.0, -1e100, 1e-100, 1e50, -1.0, -1e50]))
print(math.fsum([]), math.fsum(range(10)), math.fsum([1, 1e-16, 1e-16]), math.fsum([math.inf, 1]), math.fsum([-0.0]))
print(math.fsum([0.3, 0.3, 0.3, -0.9]), math.fsum(map(float, range(1, 101))))
vals = []
x = 0.123456789
for i in range(200):
    x = (x * 3.9 * (1 - x))
    vals.append(x * (10 ** (i % 7)) * (-1) ** i)
print(math.fsum(vals), sum(vals))
print(math.prod([1, 2, 3, 4]), math.prod([]), math.prod([2.5, 2]), math.prod(range(1, 11)), math.prod([2, 3], start=10))
