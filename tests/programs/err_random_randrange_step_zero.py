import random
random.randrange(1, 5, 0)
