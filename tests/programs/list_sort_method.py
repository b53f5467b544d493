# list.sort in place, with key= and reverse=, stable; sorted() leaves its argument alone.
xs = [5, 2, 9, 1, 5, 6]
print(xs.sort(), xs)
xs.sort(reverse=True)
print(xs)
words = ["pear", "Fig", "apple", "kiwi", "Banana", "date"]
words.sort(key=len)
print(words)
words.sort(key=len, reverse=True)
print(words)
def last(s):
    return s[-1]
words.sort(key=last)
print(words)
pairs = [(1, "b"), (0, "z"), (1, "a"), (0, "y")]
orig = list(pairs)
print(sorted(pairs), pairs == orig)
pairs.sort()
print(pairs)
fl = [2.5, -1, 3, 0.0, -0.5]
fl.sort()
print(fl)
e = []
e.sort()
print(e)
