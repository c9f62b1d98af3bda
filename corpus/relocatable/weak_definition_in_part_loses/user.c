int value(void);
int (*value_ptr)(void) = value;
int via_pointer(void) { return value_ptr(); }
