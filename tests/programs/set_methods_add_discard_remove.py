# add(), discard() and remove(): a removed item leaves a dummy in the table; an item added
# later may land there, so the order shows where it went.
s = {1, 2, 3}
s.add(4)
s.add(2)
print(s, len(s))
s.discard(2)
s.discard(100)
print(s)
s.remove(3)
print(s, 3 in s, 4 in s)
s.add(3)
s.add(2)
print(s)
t = set()
for i in range(8):
    t.add(i * 8)
print(t)
for i in range(0, 8, 2):
    t.discard(i * 8)
print(t)
for i in [9, 17, 25, 0]:
    t.add(i)
print(t)
u = {'a', 'b', 'c'}
u.remove('b')
u.add('d')
u.add('b')
print(u)
add = u.add
add('e')
print(len(u), 'e' in u)
f = {frozenset({1}), frozenset({2})}
f.discard({1})
print(f, {2} in f)
