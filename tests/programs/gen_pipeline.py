# Checks generators feeding generators: a lazy pipeline that is only driven by the consumer.
log = []
def source(n):
    for i in range(n):
        log.append("src" + str(i))
        yield i
def doubled(g):
    for v in g:
        log.append("dbl" + str(v))
        yield v * 2
def take(g, k):
    out = []
    for v in g:
        if len(out) == k:
            break
        out.append(v)
    return out
print(take(doubled(source(100)), 3))
print(log)
def primes():
    found = []
    n = 2
    while True:
        is_p = True
        for p in found:
            if p * p > n:
                break
            if n % p == 0:
                is_p = False
                break
        if is_p:
            found.append(n)
            yield n
        n += 1
print(take(primes(), 20))
print(sum(doubled(source(5))))
