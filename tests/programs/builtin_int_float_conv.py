# Checks int() from str and float (truncation toward zero) and float() from str and int.
print(int("42"), int("-17"), int("0"), int("+5"), int("007"))
print(int(3.9), int(-3.9), int(0.5), int(-0.5), int(1e15))
print(int("9223372036854775807"), int("-9223372036854775807"))
print(int(42), int(-0.0), int(1e-9))
print(float("1.5"), float("-2"), float("1e3"), float(".5"), float("3."))
print(float(7), float(-7), float(0), float(2 ** 53))
print(float("inf"), float("-inf"), float("nan"), float("-0.0"))
print(float("0.1") == 0.1, float("1e-5"))
print(int(float("2.999")), float(int("12")))
print(int("10") + int("20"), float("0.25") * 4)
x = "123"
n = 0
for ch in x:
    n = n * 10 + int(ch)
print(n)
print(int(-7 / 2), int(7 / 2), -7 // 2)
