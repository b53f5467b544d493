# uniform, and seeds of other types: floats (their hash), str and bytes (with SHA-512).
import random
random.seed(5)
u = []
for i in range(10):
    u.append(random.uniform(1, 10))
    u.append(random.uniform(-2.5, 2.5))
    u.append(random.uniform(7, 3))
print(u)
for seed in [1.0, 2.5, -0.5, 1e100, "", "hello", "héllo", b"", b"\x00\x01", b"abc" * 40, True]:
    random.seed(seed)
    print(repr(seed), random.random(), random.randrange(1000), random.getrandbits(20))
random.seed(3)
a = random.random()
random.seed(3)
print(a == random.random())
random.seed()
r = random.random()
print(0.0 <= r < 1.0)
