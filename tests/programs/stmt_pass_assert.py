# Checks pass in every block kind and assert statements that hold (with and without messages).
def nothing():
    pass
print(nothing())
if True:
    pass
else:
    pass
for i in range(3):
    pass
print(i)
n = 0
while n < 3:
    n += 1
    pass
print(n)
assert True
assert 1 == 1, "never shown"
assert [0], "non-empty list is true"
assert n == 3
x = 5
assert x > 0 and x < 10, "x out of range"
print("all asserts passed")
