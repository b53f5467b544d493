class Cfg:
    debug = False

    def __init__(self):
        self.level = 3


c = Cfg()
print(hasattr(c, "level"), hasattr(c, "debug"), hasattr(c, "nope"))
print(getattr(c, "level"), getattr(c, "nope", "default"), getattr(Cfg, "debug"))
setattr(c, "level", 5)
setattr(c, "extra", [1, 2])
print(c.level, c.extra)
delattr(c, "extra")
print(hasattr(c, "extra"))
setattr(Cfg, "debug", True)
print(c.debug, Cfg.debug)
delattr(Cfg, "debug")
print(hasattr(c, "debug"))
