while True:
    print("again and again and again")
