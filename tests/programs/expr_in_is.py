# Checks in / not in on lists and str, and is / is not on None, bools and aliased lists.
xs = [1, 2, 3, "a", None, 2.5]
print(1 in xs, 4 in xs, 4 not in xs, "a" in xs, None in xs, 2.5 in xs)
print(True in xs, 2.0 in xs, [1] in [[1], [2]], [3] in [[1], [2]])
s = "hello world"
print("lo" in s, "low" in s, "" in s, "h" in s, "z" not in s)
print("hello world" in s, "hello world!" in s)
a = [1]
b = a
c = [1]
print(a is b, a is c, a == c, a is not c)
x = None
print(x is None, x is not None, None is None)
print(True is True, False is not True)
def f():
    return None
print(f() is None)
print(1 == 1.0, "1" == 1, [1, 2] == [1, 2], (1, 2) == (1, 2), [1, 2] != [2, 1])
print(b"ab" == b"ab", "ab" == "ab", (1,) == (1,), () == ())
print([] == [], [[]] == [[]], [1, [2, 3]] == [1, [2, 3]])
