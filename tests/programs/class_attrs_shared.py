class Counter:
    count = 0
    label = "c"

    def __init__(self):
        Counter.count += 1


a = Counter()
b = Counter()
print(Counter.count, a.count, b.count)
a.count = 100
print(Counter.count, a.count, b.count)
Counter.label = "changed"
print(a.label, b.label)
del a.count
print(a.count)
