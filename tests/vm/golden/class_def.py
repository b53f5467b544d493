# A class statement: the body is a function returning its namespace (LOAD_LOCALS); methods load
# and store self's attributes through the attribute cache (LOAD_ATTR / STORE_ATTR).
class Counter(object):
    step = 1

    def __init__(self, n):
        self.n = n

    @property
    def value(self):
        return self.n

    def bump(self):
        self.n += self.step
        return self.bump_count()


c = Counter(3)
c.bump()
del c.n
