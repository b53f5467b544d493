# Checks a failing assert with a message raises AssertionError: <message>.
def check(v):
    assert v >= 0, "negative value: " + str(v)
    return v
print(check(3))
print(check(-2))
