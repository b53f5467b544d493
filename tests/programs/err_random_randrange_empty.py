import random
print(random.randrange(1))
print(random.randrange(5, 1))
