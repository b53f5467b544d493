# Two threads update one shared dict under the GIL, each writing its own keys and counting into
# one shared key, while a third reads it: the result does not depend on how they interleave.
import threading
shared = {'total': 0}
seen = set()
def writer(tag, n):
    for i in range(n):
        shared[tag + str(i)] = i
        shared['total'] += 1
        if i % 100 == 0:
            seen.add((tag, i))
    for i in range(0, n, 2):
        del shared[tag + str(i)]
def reader(rounds):
    for i in range(rounds):
        size = len(shared)
        if size < 1:
            print('impossible')
threads = [threading.Thread(target=writer, args=('a', 3000)),
           threading.Thread(target=writer, args=('b', 3000)),
           threading.Thread(target=reader, args=(2000,))]
for t in threads:
    t.start()
for t in threads:
    t.join()
a_keys = 0
b_keys = 0
for key in shared:
    if key[0] == 'a':
        a_keys += 1
    elif key[0] == 'b':
        b_keys += 1
print(shared['total'], len(shared), a_keys, b_keys, len(seen))
print(shared['a1'], shared['b2999'], 'a0' in shared, 'b2998' in shared)
