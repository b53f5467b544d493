# Checks // floors toward negative infinity for every sign combination, with ints and floats.
for a in [7, -7, 6, -6, 0, 1, -1]:
    for b in [2, -2, 3, -3, 1]:
        print(a, b, a // b)
print(-7 // 2 == -4, 7 // -2 == -4, -7 // -2 == 3)
print(9223372036854775807 // 2, -9223372036854775807 // 10)
print(7.0 // 2, -7.0 // 2, 7 // 2.5, -7.5 // 2)
print(1 // 3, -1 // 3)
