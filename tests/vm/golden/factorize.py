# A generator with a while loop, an if/else inside it and a fused `n % i == 0` test.
def factorize(n):
    i = 2
    while i * i <= n:
        if n % i == 0:
            n //= i
            yield i
        else:
            i += 1
    if n > 1:
        yield n


print(list(factorize(360)))
