int side_data = 9;
int side_fn(int x) { return x * 5; }
