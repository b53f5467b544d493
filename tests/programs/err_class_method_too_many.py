class C:
    def f(self):
        return 1
C().f(2)
