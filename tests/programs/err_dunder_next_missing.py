class A:
    def __iter__(self):
        return self
for x in A():
    pass
