import random
print(random.getrandbits(0))
print(random.getrandbits(-1))
