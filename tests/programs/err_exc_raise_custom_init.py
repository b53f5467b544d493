class CodeError(Exception):
    def __init__(self, code):
        super().__init__("code " + str(code))
        self.code = code
def check(c):
    if c > 2:
        raise CodeError(c)
    return c
check(1)
check(5)
