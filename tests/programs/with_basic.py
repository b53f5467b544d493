class Res:
    def __init__(self, name):
        self.name = name
    def __enter__(self):
        print("enter", self.name)
        return self.name + "!"
    def __exit__(self, t, v, tb):
        print("exit", self.name, t, v, tb)
        return False
with Res("a") as x:
    print("body", x)
with Res("b"):
    print("no target")
with Res("c") as c, Res("d") as d:
    print("both", c, d)
