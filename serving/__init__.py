"""What runs inside the Rasa server besides the model: lock stores that work across processes, and the speed-ups
measured by `make bench` (installed by channels/guarded_rest.py, see `speedups.install`)."""
