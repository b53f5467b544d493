class A:
    def __repr__(self):
        return 5
print(A())
