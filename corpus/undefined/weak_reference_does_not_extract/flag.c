int flag;
