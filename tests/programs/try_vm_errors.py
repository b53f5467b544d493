def attempt(label, fn):
    try:
        fn()
        print(label, "no error")
    except Exception as e:
        print(label, type(e).__name__, e)
def z(): return 1 % 0
def k(): return {"a": 1}["b"]
def i(): return (1, 2)[5]
def t(): return 1 + "a"
def n(): return undefined_thing
def a(): return (1).nope
def v(): return int("abc")
def o(): return 2.0 ** 10000
def r():
    return r()
def u():
    x = x + 1
def p(): return [].pop()
def d(): return {}.popitem()
def st(): return set().pop()
for f in [z, k, i, t, n, a, v, o, r, u, p, d, st]:
    attempt(f.__name__, f)
