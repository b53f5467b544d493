# nonlocal cannot name a class body's variable from a method.
class Counter:
    count = 0

    def bump(self):
        nonlocal count
        count += 1


print("never")
