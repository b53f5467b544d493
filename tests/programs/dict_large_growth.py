# Large dicts: growth through many rebuilds, deletes of most keys, popitem draining, and str
# keys; the order stays insertion order throughout.
d = {}
for i in range(5000):
    d['k' + str(i)] = i
print(len(d), d['k0'], d['k4999'], list(d)[:3], list(d)[-3:])
for i in range(0, 5000, 5):
    del d['k' + str(i)]
print(len(d), list(d)[:4], list(d)[-2:])
for i in range(10):
    d['k' + str(i * 5)] = 'back'
print(len(d), list(d)[-10:])
last = []
for i in range(7):
    last.append(d.popitem())
print(last, len(d))
ints = {}
for i in range(2000):
    ints[(i * 7919) % 10007] = i
total = 0
for key in ints:
    total += key
print(len(ints), total, list(ints)[:8])
while len(ints) > 3:
    ints.popitem()
print(ints)
