class C:
    def __init__(self, a, b):
        self.a = a
C(1)
