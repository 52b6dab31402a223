print("missing parenthesis"
