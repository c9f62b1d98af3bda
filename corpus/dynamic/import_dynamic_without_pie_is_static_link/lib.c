int counter = 30;
