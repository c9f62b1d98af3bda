// Pointers in the side module's data: to its own data, to the main module's.
int side_arr[3] = {10, 20, 30};
int *side_p_own = &side_arr[2];
extern int main_arr[];
int *side_p_main = &main_arr[1];
int side_sum(void) { return *side_p_own + *side_p_main; }
