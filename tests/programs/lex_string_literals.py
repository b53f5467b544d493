# Checks str literal quoting: single, double, triple-quoted (both kinds), quotes inside quotes.
print('single')
print("double")
print('it"s')
print("it's")
print('''triple
single''')
print("""triple "double" with 'quotes'
second line
""")
print('')
print("")
s = """a
b"""
print(len(s))
print('''x''' == "x")
print("""line1\
 continued""")
print(['', "", 'q"', "q'"])
