# update() from a dict, pairs and keywords; copy() is shallow and independent; clear() empties.
d = {'a': 1}
d.update({'b': 2, 'a': 10})
print(d)
d.update([('c', 3), ['d', 4]])
print(d)
d.update(e=5, a=100)
print(d)
d.update({'f': 6}, g=7)
print(d)
d.update()
d.update({})
d.update(d)
print(d)
c = d.copy()
c['a'] = 'copy only'
c['new'] = True
print(d)
print(c)
shared = {'list': [1]}
shallow = shared.copy()
shallow['list'].append(2)
print(shared, shallow, shared == shallow)
d.clear()
print(d, len(d), bool(d))
d['after'] = 'clear'
print(d)
holes = {}
for i in range(20):
    holes[i] = i
for i in range(0, 20, 2):
    del holes[i]
print(holes.copy(), dict(holes), holes.copy() == holes)
big = {}
big.update(holes)
big.update([(100, 'x')])
print(big)
