# for and while loops with break, continue and else clauses, in a function (local loop
# variables: FOR_ITER_LOCAL) and at module level (globals: FOR_ITER + STORE_GLOBAL).
def search(xs, target):
    for i in range(len(xs)):
        if xs[i] == target:
            break
        if xs[i] < 0:
            continue
    else:
        return -1
    return i


def drain(n):
    count = 0
    while n:
        n -= 1
        if n % 3 == 0:
            continue
        if n == 7:
            break
        count += 1
    else:
        count = -count
    return count


for x in [3, 1, 4]:
    if x == 1:
        continue
    print(search([5, -1, 3, 4], x), drain(x * 5))
else:
    print("done")
