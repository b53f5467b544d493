# map with one or more iterables (stops at the shortest) and filter with a function or None.
def sq(x):
    return x * x
def add3(a, b, c):
    return a + b + c
def odd(x):
    return x % 2 == 1
print(list(map(sq, range(6))), list(map(str, [1, 2.5, None])), list(map(len, ["ab", "", "xyz"])))
print(list(map(add3, [1, 2, 3], [10, 20], [100, 200, 300])))
print(list(filter(odd, range(10))), list(filter(None, [0, 1, "", "a", [], [0], None, 2.5])))
print(list(filter(None, ())), tuple(map(abs, (-1, -2))))
m = map(sq, [1, 2, 3])
print(next(m), list(m), list(m))
def noisy(x):
    print("called", x)
    return x > 1
f = filter(noisy, [1, 2, 3])
print("made")
print(next(f))
print(list(f))
print(sum(map(sq, range(100))), max(map(abs, [-7, 3])))
print(", ".join(map(str, range(5))))
print(list(map(int, "123")), set(map(sq, [1, -1, 2])))
