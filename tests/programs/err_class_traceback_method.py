class A:
    def f(self):
        return 1 / 0
def g():
    return A().f()
g()
