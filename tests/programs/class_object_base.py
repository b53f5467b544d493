class A(object):
    def hi(self):
        return "hi"


o = object()
print(A().hi(), isinstance(o, object), isinstance(A(), object))
print(type(o).__name__)
