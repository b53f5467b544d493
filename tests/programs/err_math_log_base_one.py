import math
print(math.log(8, 2))
print(math.log(8, 1))
