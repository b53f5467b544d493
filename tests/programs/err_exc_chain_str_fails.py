# A chained exception whose __str__ fails prints as "<exception str() failed>", and the exception
# that ends the program still prints with its own traceback after it.
class Bad(Exception):
    def __str__(self):
        raise ValueError("no str")


try:
    raise Bad("first")
except Bad:
    raise KeyError("second")
