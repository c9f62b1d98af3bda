// nowhere_data is defined by no module.
extern int nowhere_data;
int side_read(void) { return nowhere_data + 1; }
