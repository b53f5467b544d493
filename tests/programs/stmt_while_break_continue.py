# Checks while loops with break and continue, nested loops and loop-carried state.
i = 0
while i < 10:
    i += 1
    if i % 3 == 0:
        continue
    if i > 8:
        break
    print("i", i)
print("after", i)
n = 27
steps = 0
while n != 1:
    if n % 2 == 0:
        n = n // 2
    else:
        n = 3 * n + 1
    steps += 1
print("collatz steps", steps)
a = 0
while True:
    a += 1
    b = 0
    while True:
        b += 1
        if b >= a:
            break
    if a == 4:
        break
print(a, b)
k = 5
while k:
    k -= 1
print(k)
