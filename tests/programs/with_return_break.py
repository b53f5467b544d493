class Log:
    def __init__(self, n):
        self.n = n
    def __enter__(self):
        print("enter", self.n)
        return self.n
    def __exit__(self, t, v, tb):
        print("exit", self.n, t, v, tb)
def f():
    with Log(1) as n:
        return n * 10
print(f())
for i in range(3):
    with Log(i):
        if i == 0:
            continue
        if i == 1:
            break
print("loop done")
def g():
    with Log("outer"):
        with Log("inner"):
            return "nested"
print(g())
