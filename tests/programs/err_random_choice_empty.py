import random
random.seed(1)
print(random.choice([1, 2]))
print(random.choice([]))
