def check(x):
    assert x > 0, "x must be positive, got " + str(x)
    return x
for v in [3, -2]:
    try:
        print(check(v))
    except AssertionError as e:
        print("assertion:", e, e.args)
try:
    assert False
except AssertionError as e:
    print("plain", e.args)
