# gcd, lcm, isqrt, factorial, comb and perm.
import math
print(math.gcd(12, 18), math.gcd(-12, 18), math.gcd(0, 0), math.gcd(), math.gcd(7), math.gcd(12, 18, 27), math.gcd(True, 4))
print(math.lcm(4, 6), math.lcm(), math.lcm(0, 5), math.lcm(-4, 6), math.lcm(2, 3, 4))
print(list(map(math.isqrt, [0, 1, 2, 3, 4, 15, 16, 17, 99, 100, 10 ** 18, 9223372036854775807])))
print(list(map(math.factorial, range(21))))
print(math.comb(5, 2), math.comb(10, 0), math.comb(10, 10), math.comb(3, 5), math.comb(60, 30), math.comb(100, 3))
print(math.perm(5, 2), math.perm(5), math.perm(5, None), math.perm(3, 5), math.perm(20, 20), math.perm(0, 0))
