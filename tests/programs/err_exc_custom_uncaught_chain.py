class LowLevel(Exception):
    pass
class HighLevel(Exception):
    pass
def low():
    raise LowLevel("socket closed")
def high():
    try:
        low()
    except LowLevel as e:
        raise HighLevel("request failed") from e
high()
