# Stability: equal keys keep their input order, also with reverse=True (CPython reverses, sorts,
# and reverses again).
pairs = []
for i in range(20):
    pairs.append(((i * 7) % 5, i))
def first(p):
    return p[0]
print(sorted(pairs, key=first))
print(sorted(pairs, key=first, reverse=True))
xs = [1, 1.0, True, 0, 0.0, False]
print(sorted(xs), sorted(xs, reverse=True))
def mod3(x):
    return x % 3
data = list(range(30))
data.sort(key=mod3)
print(data)
data.sort(key=mod3, reverse=True)
print(data)
big = []
seed = 12345
for i in range(500):
    seed = (seed * 1103515245 + 12345) % 2147483648
    big.append(seed % 100)
s = sorted(big)
print(s[:20], s[-20:], len(s))
def tens(x):
    return x // 10
print(sorted(big, key=tens)[:40])
