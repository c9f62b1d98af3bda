int var = 7;
