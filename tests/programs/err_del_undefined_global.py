# del of a global that was never assigned (a built-in's name included).
x = 1
del x
del print
