class A:
    @property
    def x(self):
        return self.y
A().x
