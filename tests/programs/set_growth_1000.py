# A thousand items: the table grows by four times at each resize; removing most of them leaves
# dummies that later adds reuse or that a rebuild drops; the whole set is printed at each stage.
s = set()
for i in range(1000):
    s.add(i * 37 % 1009)
print(len(s))
print(s)
for i in range(0, 1009, 3):
    s.discard(i)
print(len(s))
print(s)
for i in range(500):
    s.add(-i * 5)
print(len(s))
print(s)
t = set()
for i in range(1000):
    t.add('item%d' % i)
print(len(t))
print(t)
u = set(range(1000))
u -= set(range(0, 1000, 2))
print(len(u), list(u)[:10], list(u)[-5:])
