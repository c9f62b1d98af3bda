int missing(void);

int helper(void) { return missing() + 1; }
