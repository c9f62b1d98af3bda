int order;
