print("{{}}".format())
print("a } b".format())
