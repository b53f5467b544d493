import random
print(random.randrange(0))
