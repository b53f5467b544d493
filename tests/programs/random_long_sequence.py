# A long run of random() crosses several regenerations of the 624-word state.
import random
random.seed(2024)
total = 0.0
for i in range(5000):
    x = random.random()
    total += x
    if i % 499 == 0:
        print(i, x)
print(total)
random.seed(7)
s = 0
for i in range(3000):
    s = (s * 31 + random.getrandbits(32)) % 1000000007
print(s)
