import math
print(math.factorial(3))
print(math.factorial(3.0))
