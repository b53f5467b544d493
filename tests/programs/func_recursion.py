# Checks recursion: factorial, fibonacci, mutual recursion, recursion over lists, depth 500.
def fact(n):
    if n <= 1:
        return 1
    return n * fact(n - 1)
print(fact(0), fact(5), fact(20))
def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)
print(fib(1), fib(10), fib(20))
def is_even(n):
    if n == 0:
        return True
    return is_odd(n - 1)
def is_odd(n):
    if n == 0:
        return False
    return is_even(n - 1)
print(is_even(10), is_odd(7), is_even(7))
def total(xs):
    if len(xs) == 0:
        return 0
    return xs[0] + total(xs[1:])
print(total([1, 2, 3, 4]))
def depth(n):
    if n == 0:
        return 0
    return 1 + depth(n - 1)
print(depth(500))
def hanoi(n, a, b, c, moves):
    if n == 0:
        return
    hanoi(n - 1, a, c, b, moves)
    moves.append(a + c)
    hanoi(n - 1, b, a, c, moves)
m = []
hanoi(4, "A", "B", "C", m)
print(len(m), m[:5])
def flatten(x, out):
    for v in x:
        if v == [] or (len(str(v)) > 0 and str(v)[0] == "["):
            flatten(v, out)
        else:
            out.append(v)
    return out
print(flatten([1, [2, [3, [4]], []], 5], []))
