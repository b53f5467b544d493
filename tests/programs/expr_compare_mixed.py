# Checks comparisons across int, float and bool, and lexicographic str comparisons.
print(1 < 1.5, 2 == 2.0, 3 >= 3.0, -1 > -1.5, 0 == -0.0)
print(True < 2, False == 0.0, True >= 1)
print(10 != 10.0, 7 <= 6.999)
print("abc" < "abd", "abc" < "ab", "" < "a", "B" < "a", "Z" > "a")
print("apple" <= "apple", "apple" >= "apples", "b" > "abc")
print("10" < "9", "a" != "A", "x" == "x")
print(1 == "1", [1] == (1,), None == 0)
big = 9223372036854775807
print(big > 0, big == big, -big < 0)
print(0.1 + 0.2 == 0.3, 0.5 + 0.25 == 0.75)
print(float("nan") == float("nan"), float("inf") > 1e308)
