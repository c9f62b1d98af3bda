// Shared declarations of the two C++ translation units.
#pragma once
#include <memory>
#include <string>
#include <vector>

struct Shape {
    virtual ~Shape() = default;
    virtual double area() const = 0;
    virtual std::string name() const = 0;
};

// Defined in b.cpp: the virtual calls cross translation units.
std::unique_ptr<Shape> make_shape(const std::string &kind, double size);

// Records the order in which static constructors ran (a.cpp and b.cpp).
void record_init(const char *who);
const std::vector<std::string> &init_order();
