class K:
    def __init__(self, k):
        self.k = k

    def __eq__(self, o):
        return isinstance(o, K) and self.k == o.k

    def __hash__(self):
        return hash(self.k)


d = {K(1): "one", K(2): "two"}
print(d[K(1)], d[K(2)], K(3) in d)
s = {K(1), K(1), K(2)}
print(len(s), hash(K(5)) == hash(5), hash(K("a")) == hash("a"))


class Plain:
    pass


p = Plain()
print({p: 1}[p])
