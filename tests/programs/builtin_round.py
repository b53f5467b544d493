# round(): ties to even for ints and floats, ndigits positive and negative, on the float's exact
# binary value (2.675 is just below 2.675, so it rounds down).
print(round(0.5), round(1.5), round(2.5), round(-0.5), round(-1.5), round(3.49999), round(-3.7))
print(round(2.675, 2), round(1.005, 2), round(0.125, 2), round(0.375, 2), round(2.5, 0), round(-2.5, 0))
print(round(1234.5678, 1), round(1234.5678, -1), round(1234.5678, -2), round(1250.0, -2), round(1350.0, -2))
print(round(-0.4, 0), round(0.4), round(-0.4), round(1e300, -299), round(1.23456789e-10, 12))
print(round(5, 2), round(15, -1), round(25, -1), round(-25, -1), round(-35, -1), round(149, -2), round(150, -2), round(250, -2))
print(round(123456789, -4), round(-987654321, -5), round(7, -1), round(5, -1), round(4, -1), round(99, -25))
print(round(True), round(False, 3), round(7, None), round(7.5, None), round(3.14159, 3))
print(round(0.1 + 0.2, 15), round(0.1 + 0.2, 16), round(1e-20, 5), round(-1e-20, 5))
print(round(float("inf"), 2), round(float("-inf"), -2), round(float("nan"), 1))
print(round(2.5e-308, 308), round(123.456, 400), round(123.456, -400), round(-123.456, -400))
for i in range(12):
    x = i * 0.125
    print(x, round(x, 1), round(x, 2), round(x))
print(round(number=2.345, ndigits=2), round(ndigits=-1, number=55))
print(round(1.5e308, -300), round(1e200, 5), round(123456789012345678901234567890.0, -20), round(-9.87654321e250, -245))
print(round(4.35, 1), round(4.45, 1), round(0.285, 2), round(1e-5, 5))
