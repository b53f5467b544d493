import random
print(random.randint(3, 3))
print(random.randint(5, 1))
