# An uncaught exception whose __str__ fails: the last stderr line is CPython's
# "<exception str() failed>" in place of the message, not the __str__'s own error.
class E(Exception):
    def __str__(self):
        raise ValueError("broken __str__")


try:
    raise E("caught")
except E:
    print("caught without str")
raise E("y")
