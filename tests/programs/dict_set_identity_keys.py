# A dict or set lookup finds the very key object without calling its __eq__ (CPython compares by
# identity first); an equal but distinct key still goes through __eq__.


class Key:
    def __init__(self, n):
        self.n = n

    def __hash__(self):
        return 1  # every Key collides

    def __eq__(self, other):
        print("eq", self.n, other.n)
        return False  # never equal, not even to itself


a = Key(1)
b = Key(2)
d = {a: "a"}
print(d[a], a in d, d.get(a), d.get(b, "missing"))
d[a] = "a2"
d[b] = "b"
print(len(d), d[a], d[b])
print(d.pop(a), len(d))
s = {a}
print(a in s, b in s)
s.add(a)
s.add(b)
print(len(s))
s.discard(a)
print(len(s), b in s)

words = ["rent", "food", "rent"]
counts = {}
for w in words:
    counts[w] = counts.get(w, 0) + 1
print(counts)
