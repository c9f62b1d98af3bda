// C++ real program, part B: the Shape implementations (vtables live here)
// and two more prioritized static constructors.
#include <cmath>

#include "shapes.h"

namespace {
struct Square : Shape {
    double side;
    explicit Square(double s) : side(s) {}
    double area() const override { return side * side; }
    std::string name() const override { return "square"; }
};
struct Circle : Shape {
    double radius;
    explicit Circle(double r) : radius(r) {}
    double area() const override { return M_PI * radius * radius; }
    std::string name() const override { return "circle"; }
};
struct Triangle : Shape {
    double side;
    explicit Triangle(double s) : side(s) {}
    double area() const override { return std::sqrt(3.0) / 4 * side * side; }
    std::string name() const override { return "triangle"; }
};

struct Registrar {
    explicit Registrar(const char *who) { record_init(who); }
};
Registrar b_late __attribute__((init_priority(300)))("b:300");
Registrar b_first __attribute__((init_priority(150)))("b:150");
}  // namespace

std::unique_ptr<Shape> make_shape(const std::string &kind, double size) {
    if (kind == "square") return std::make_unique<Square>(size);
    if (kind == "circle") return std::make_unique<Circle>(size);
    return std::make_unique<Triangle>(size);
}
