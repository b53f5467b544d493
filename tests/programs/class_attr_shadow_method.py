class S:
    def f(self):
        return "method"


s = S()
print(s.f())
s.f = 5
print(s.f)
del s.f
print(s.f())
