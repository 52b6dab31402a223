"""The queue, the workers and the persistence they need, and the judging domain.

See runners/README.md: store/, queue/, judging/, contests/.
"""
