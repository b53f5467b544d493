# A function nested in a method is named by its qualified name in call errors.
class Greeter:
    def greet(self):
        def shout(word):
            return word.upper()
        return shout("hi", "there")


print(Greeter().greet())
