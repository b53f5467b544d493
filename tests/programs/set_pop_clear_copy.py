# pop() takes the first item from a moving finger; clear() shrinks the table back; copy() is a
# new table built the way set.copy() builds it (which need not match the original's order).
s = {5, 1, 9, 13, 2, 21}
out = []
while s:
    out.append(s.pop())
print(out, s)
t = set()
for i in range(40):
    t.add(i * 3)
popped = []
for i in range(10):
    popped.append(t.pop())
print(popped, len(t))
t.add(0)
t.add(3)
print(t.pop(), t.pop(), len(t))
c = t.copy()
print(c == t, len(c), list(c) == list(t))
holes = set()
for i in range(20):
    holes.add(i * 16)
for i in range(0, 20, 3):
    holes.discard(i * 16)
print(holes)
print(holes.copy())
holes.clear()
print(holes, len(holes))
holes.add(7)
print(holes)
f = frozenset({1, 2})
print(f.copy(), f.copy() == f)
