# get() and setdefault(): a default of None unless given; setdefault inserts what it returns.
d = {'a': 1, 'b': None}
print(d.get('a'), d.get('b'), d.get('z'), d.get('z', 'dflt'), d.get('b', 'dflt'))
print(d.get(1), d.get((1, 2), []), d)
print(d.setdefault('a'), d.setdefault('a', 99), d)
print(d.setdefault('c'), d)
print(d.setdefault('d', [1]), d)
d.setdefault('d', []).append(2)
d.setdefault('e', []).append(3)
print(d)
groups = {}
for word in ['apple', 'avocado', 'banana', 'blueberry', 'cherry', 'apricot']:
    groups.setdefault(word[0], []).append(word)
print(groups)
counter = {}
for ch in 'mississippi':
    counter[ch] = counter.get(ch, 0) + 1
print(counter)
get = counter.get
print(get('s'), get('x', -1))
