int helper(void) { return 1; }

int value(void) { return 21; }
