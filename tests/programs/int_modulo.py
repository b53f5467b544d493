# Checks % takes the sign of the divisor (floored modulo) for ints and floats, and a == (a//b)*b + a%b.
for a in [7, -7, 6, -6, 0, 13, -13]:
    for b in [2, -2, 5, -5]:
        print(a, b, a % b, (a // b) * b + a % b == a)
print(-7 % 2 == 1, 7 % -2 == -1)
print(7.5 % 2, -7.5 % 2, 7.5 % -2, 5 % 2.5)
print(-1 % 9223372036854775807)
print(123456789 % 1000, -123456789 % 1000)
