import math
print(math.isqrt(8))
print(math.isqrt(-8))
