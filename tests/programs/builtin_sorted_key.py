# sorted() and its key= and reverse=: the key function is called once per item, ties keep order.
words = ["banana", "Apple", "cherry", "date", "fig", "apple", "Banana"]
print(sorted(words))
print(sorted(words, key=len))
print(sorted(words, key=len, reverse=True))
print(sorted(words, reverse=True))
def lower(s):
    print("key", s)
    return s.lower()
print(sorted(words, key=lower))
print(sorted([3.5, 1, -2, 2.0, 1.0, True]))
print(sorted((5, 3, 9)), sorted("zyx"), sorted(range(5, 0, -1)), sorted({3: 1, 1: 2}))
print(sorted([(2, "b"), (1, "z"), (2, "a"), (1, "a")]))
print(sorted([]), sorted([1]), sorted([[3], [1, 2], [1]]))
def neg(x):
    return -x
print(sorted(range(10), key=neg), sorted(range(10), key=neg, reverse=True))
print(sorted([1, 2, 3], reverse=0), sorted([1, 2, 3], reverse=1), sorted([1, 2, 3], key=None))
