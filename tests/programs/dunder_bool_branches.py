class T:
    def __init__(self, v):
        self.v = v
    def __bool__(self):
        return self.v
a = T(True)
b = T(False)
print((a and 1), (b and 1) is b, (a or 2) is a, (b or 2), not a, not b)
n = 0
while T(n < 3):
    n += 1
print(n)
x = 1 if b else 2
print(x)
