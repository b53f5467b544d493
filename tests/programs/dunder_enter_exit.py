class Res:
    def __enter__(self):
        print("enter")
        return self

    def __exit__(self, a, b, c):
        print("exit", a, b, c)
        return False


r = Res()
x = r.__enter__()
print(x is r)
print(r.__exit__(None, None, None))
