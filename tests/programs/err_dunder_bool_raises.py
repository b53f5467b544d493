class B:
    def __bool__(self):
        return 1 / 0
print("x")
if B():
    pass
