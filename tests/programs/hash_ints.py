# hash() of ints and bools: the value modulo the Mersenne prime 2**61 - 1, keeping the sign;
# -1 is reserved, so hash(-1) == -2.
for n in [0, 1, -1, -2, 2, 1000, -1000, 2**31, 2**32 + 1, 2**61 - 2, 2**61 - 1, 2**61, 2**61 + 1,
          2**62, -(2**61) + 1, -(2**61), -(2**61) - 1, 9223372036854775807, -9223372036854775807,
          -9223372036854775807 - 1]:
    print(n, hash(n))
print(hash(True), hash(False), hash(True) == hash(1), hash(False) == hash(0))
print(hash(2**61 - 1) == hash(0), hash(-(2**61 - 1)) == hash(0))
