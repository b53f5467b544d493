# Checks that ints and floats compare exactly, as Python does, where converting the int to a
# float would round it: near 2**53 and 2**63, against fractions, infinities and NaN.
top = 9223372036854775807
bottom = -9223372036854775807 - 1
two63 = 9.223372036854776e18
print(top == two63, top != two63, top < two63, top <= two63, top > two63, top >= two63)
print(two63 == top, two63 > top, two63 < top)
print(bottom == -two63, bottom < -two63, bottom > -two63, -two63 == bottom)
big = 9007199254740993  # 2**53 + 1: the nearest float is 2**53
f53 = 9007199254740992.0
print(big == f53, big > f53, f53 < big, big - 1 == f53, big - 2 < f53)
print(3 == 3.0, 3 < 3.5, -3 > -3.5, 3 > 2.5, -3 < -2.5, 0 == -0.0, True == 1.0, False < 0.5)
print(top < float("inf"), bottom > float("-inf"), float("inf") > top)
nan = float("nan")
print(top == nan, top != nan, top < nan, nan > bottom, 0 >= nan, nan == nan)
print(max(top, two63), min(bottom, -two63), [top] == [two63], (1, 2.5) < (1, 3))
print(max([3, 2.5, 9007199254740992.0, 9007199254740993, -1]), min([2.5, 3, -1.0, -1]))
