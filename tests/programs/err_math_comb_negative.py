import math
print(math.comb(4, 2))
print(math.comb(-4, 2))
