x = "global"


class K:
    a = 1
    b = a + 1
    c = [a, b]
    y = x

    def get(self):
        return x


print(K.a, K.b, K.c, K.y, K().get())
print(hasattr(K, "get"), K.__name__)
