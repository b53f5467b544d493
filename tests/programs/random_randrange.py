# randrange with one, two and three arguments (steps of both signs) and randint.
import random
random.seed(99)
out = []
for i in range(40):
    out.append(random.randrange(10))
print(out)
out = []
for i in range(40):
    out.append((random.randrange(5, 15), random.randrange(0, 100, 7), random.randrange(50, -50, -9), random.randrange(-10, 10, 3)))
print(out)
out = []
for i in range(40):
    out.append((random.randint(1, 6), random.randint(-3, 3), random.randint(0, 0), random.randrange(1), random.randrange(2 ** 40), random.randrange(10 ** 18)))
print(out)
print(random.randrange(3, stop=9), random.randrange(start=2, stop=20, step=6), random.randrange(1000000007))
