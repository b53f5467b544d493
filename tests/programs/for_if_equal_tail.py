# Checks for loops whose body ends with `if a == b:` and no else (gilvm compiles that if's body
# after the loop): break, continue and return inside it, for-else, nested loops, a generator,
# a global loop variable, == on strs, floats and NaN, and a chained == that stays inline.


def find(items, target):
    for index, item in enumerate_items(items):
        if item == target:
            return index
    return -1


def enumerate_items(items):
    out = []
    i = 0
    for item in items:
        out.append((i, item))
        i += 1
    return out


def first_multiple(n, d):
    for i in range(1, n):
        if i % d == 0:
            break
    else:
        return "none"
    return i


def count_skips(n):
    skipped = 0
    total = 0
    for i in range(n):
        total += i
        if i % 3 == 0:
            skipped += 1
            continue
    return skipped, total


def divisors(n):
    for i in range(1, n + 1):
        if n % i == 0:
            yield i


def pairs(n):
    found = []
    for a in range(n):
        for b in range(n):
            if a + b == n - 1:
                found.append((a, b))
        if a == 2:
            found.append("two")
    return found


def equal_floats(values):
    hits = 0
    for v in values:
        if v == v:
            hits += 1
    return hits


def chained(values):
    hits = 0
    for v in values:
        if 0 == v == 0:
            hits += 1
    return hits


print(find(["a", "b", "c"], "c"), find(["a"], "z"), find([], 1))
print(first_multiple(10, 4), first_multiple(3, 7))
print(count_skips(10))
print(list(divisors(36)), sum(divisors(2139079)))
print(pairs(4))
print(equal_floats([1.0, float("nan"), 2.5]), chained([0, 1, 0.0, False]))
seen = []
for g in range(5):
    if g == 3:
        seen.append(g)
print(seen, g)
for g in range(3):
    if g == 1:
        print("one")
else:
    print("done", g)
