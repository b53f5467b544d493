# Checks % formatting with precision and width: %.3f, %5d, %-8s, %8.2f, %10s, %-5d.
print("%.3f" % 3.14159, "%.0f" % 2.5, "%.0f" % 3.5, "%.1f" % 0.05, "%.2f" % 2.675)
print("[%5d]" % 42, "[%5d]" % -42, "[%1d]" % 12345, "[%2d]" % 7)
print("[%-8s]" % "left", "[%8s]" % "right", "[%-3s]" % "toolong")
print("[%8.2f]" % 3.14159, "[%-8.2f]" % 3.14159, "[%10.4f]" % -1.5)
print("[%-5d]" % 3, "[%5s]" % 1.5, "[%6x]" % 255)
print("[%.10f]" % (1 / 3), "[%.1f]" % 1e-10)
for n in [1, 10, 100, 1000]:
    print("%6d|%-6d|%6.1f" % (n, n, n / 3))
rows = [("apple", 3, 1.5), ("kiwi", 12, 0.25)]
for name, qty, price in rows:
    print("%-8s %4d %8.3f" % (name, qty, price))
print("%.2f%%" % 99.5)
print("%5s|%-5s|" % ("ab", "cd"))
print("%3d%3d%3d" % (1, 22, 333))
