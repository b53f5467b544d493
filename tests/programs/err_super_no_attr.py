class A:
    pass
class B(A):
    def f(self):
        return super().f()
B().f()
