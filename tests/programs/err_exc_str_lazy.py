# A raised exception's __str__ runs only when its traceback is printed (CPython works the
# message out then), not at the raise: a caught one never calls it.
class E(Exception):
    def __str__(self):
        print("str called")
        return "custom " + str(self.args)


for i in range(3):
    try:
        raise E(i)
    except E as e:
        print("caught", e.args)
raise E("last")
