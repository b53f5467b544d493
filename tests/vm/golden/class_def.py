# A class statement: the body is a function returning its namespace (LOAD_LOCALS); methods load
# and store self's attributes through the attribute cache, fused with the local's load
# (LOAD_LOCAL_ATTR / STORE_LOCAL_ATTR, `self.n += ...` included); super().f() is one
# LOAD_SUPER_METHOD; an attribute of an expression stays LOAD_ATTR / STORE_ATTR.
class Counter(object):
    step = 1

    def __init__(self, n):
        super().__init__()
        self.n = n

    @property
    def value(self):
        return self.n

    def bump(self):
        self.n += self.step
        return self.bump_count()


c = Counter(3)
c.bump()
Counter(4).n = c.value
del c.n
