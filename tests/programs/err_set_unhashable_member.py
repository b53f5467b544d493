# A set cannot be an item of a set (a frozenset can).
s = {frozenset({1})}
print(s)
s.add({2})
