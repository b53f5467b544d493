# expect: SyntaxError: import of the program's own modules is not supported ('own_module_helper.py')
# gilvm runs one file: a module beside the program is refused when the program is compiled.
print("never printed: the whole file is rejected at compile time")
import own_module_helper

print(own_module_helper.VALUE)
