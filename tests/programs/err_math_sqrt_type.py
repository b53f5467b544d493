import math
print(math.sqrt(True))
print(math.sqrt("4"))
