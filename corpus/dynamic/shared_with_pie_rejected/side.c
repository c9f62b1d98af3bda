int side_fn(int x) { return x + 1; }
