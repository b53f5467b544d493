class A:
    pass
class B:
    pass
A() < B()
