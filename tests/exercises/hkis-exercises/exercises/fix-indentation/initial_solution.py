print("Gonna knock three times:")
for i in range(3):
print("*knock*")
print("- Who's there?")
