# reversed() of lists (live), tuples, strs, bytes, ranges and dicts.
print(list(reversed([1, 2, 3])), list(reversed((4, 5))), list(reversed("abc")), list(reversed(b"xy")))
print(list(reversed(range(5))), list(reversed(range(10, 0, -3))), list(reversed(range(0))))
print(list(reversed(range(-5, 5, 4))), list(reversed({"a": 1, "b": 2, "c": 3})))
print("".join(reversed("héllo wörld")))
xs = [1, 2, 3, 4]
r = reversed(xs)
print(next(r))
xs.pop()
xs.pop()
print(list(r))
r = reversed(range(3))
print(next(r), next(r), next(r), next(r, "end"))
for i in reversed(range(1, 4)):
    print(i)
