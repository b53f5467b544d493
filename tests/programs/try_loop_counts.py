ok = 0
bad = 0
total = 0
for i in range(2000):
    try:
        total += 100 // (i % 7)
        ok += 1
    except ZeroDivisionError:
        bad += 1
print(ok, bad, total)
n = 1000
caught = 0
while n > 0:
    try:
        n -= 1
        if n % 100 == 0:
            raise KeyError(n)
    except KeyError:
        caught += 1
print(n, caught)
