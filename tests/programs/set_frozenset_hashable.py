# frozensets are hashable: dict keys and set members; a set is looked up (not stored) as the
# equal frozenset; frozenset(f) of a frozenset is f itself.
fs = frozenset({1, 2, 3})
d = {fs: 'one two three', frozenset(): 'empty'}
print(d[frozenset([3, 2, 1])], d[frozenset()], {1, 2, 3} in d if False else frozenset({1, 2, 3}) in d)
members = {frozenset({1}), frozenset({1, 2}), frozenset({'a'})}
print(members)
print({1} in members, {1, 2} in members, {3} in members, frozenset({'a'}) in members)
members.discard({1})
members.remove({1, 2})
print(members)
print(frozenset(fs) is fs, frozenset(fs) == fs, hash(fs) == hash(frozenset([1, 2, 3])))
nested = frozenset({frozenset({1, 2}), frozenset({3}), frozenset()})
print(nested, frozenset({1, 2}) in nested)
print(hash(frozenset()) == hash(frozenset([])), hash(frozenset({1, 2})) == hash(frozenset({2, 1})))
graph = {}
for edge in [(1, 2), (2, 3), (2, 1), (3, 1)]:
    key = frozenset(edge)
    graph[key] = graph.get(key, 0) + 1
print(graph)
