int side_val(void) { return 3; }
