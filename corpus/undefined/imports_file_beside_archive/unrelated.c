int unrelated(void) { return 1; }
