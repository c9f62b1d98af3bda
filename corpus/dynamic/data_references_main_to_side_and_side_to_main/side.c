// The side module's data, and the main module's data through GOT.mem.
int side_val = 3;
extern int main_val;
void side_bump(void) { main_val += 5; }
int side_read_main(void) { return main_val + 1; }
