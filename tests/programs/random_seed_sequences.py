# random() and getrandbits() for several int seeds: CPython's exact MT19937 sequences.
import random
for seed in [0, 1, 2, 42, 12345, -7, 2 ** 31, 2 ** 32, 2 ** 32 + 1, 9223372036854775807, 987654321987]:
    random.seed(seed)
    out = []
    for i in range(8):
        out.append(random.random())
    print(out)
    bits = []
    for k in [0, 1, 5, 16, 31, 32, 33, 48, 63, 8, 1]:
        bits.append(random.getrandbits(k))
    print(bits)
