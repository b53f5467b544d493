import random
random.randrange(10, 1, 2)
