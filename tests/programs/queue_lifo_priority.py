# LifoQueue and PriorityQueue orders; tuples and instances with __lt__ as items.
import queue
l = queue.LifoQueue()
for i in range(4):
    l.put(i)
print([l.get() for _ in range(4)])
p = queue.PriorityQueue()
for item in [(3, "c"), (1, "a"), (2, "b"), (1, "A"), (5, "e"), (0, "z")]:
    p.put(item)
print([p.get() for _ in range(6)])
class Job:
    def __init__(self, pri, name):
        self.pri = pri
        self.name = name
    def __lt__(self, other):
        return self.pri < other.pri
p = queue.PriorityQueue()
for pri in [7, 3, 9, 1, 5]:
    p.put(Job(pri, "job%d" % pri))
print([p.get().name for _ in range(5)])
ints = queue.PriorityQueue()
for x in [9, 4, 7, 1, 8, 2]:
    ints.put_nowait(x)
print([ints.get_nowait() for _ in range(6)], isinstance(ints, queue.Queue))
