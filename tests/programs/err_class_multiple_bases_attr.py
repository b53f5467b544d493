class A:
    def f(self):
        return self.missing
class B(A):
    pass
B().f()
