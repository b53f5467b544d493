import math
print(math.pow(0, 1))
print(math.pow(0, -1))
