# hash() of floats: equal to the int's hash when integral, CPython's algorithm otherwise;
# inf and -inf have fixed hashes; 0.0 and -0.0 hash alike.
for x in [0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 1.5, 0.1, 0.2, 0.3, 3.14159, 2.0**61, 2.0**62, 2.0**64,
          1e10, 1e-10, 1e100, 1e-100, 1e308, -1e308, 5e-324, 123456.789, -2.5,
          float('inf'), float('-inf')]:
    print(x, hash(x))
print(hash(1.0) == hash(1), hash(4.0) == hash(4), hash(-3.0) == hash(-3))
print(hash(-1.0), hash(float(2**52)) == hash(2**52))
