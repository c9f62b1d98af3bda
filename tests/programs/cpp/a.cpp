// C++ real program, part A: main, std::map/std::string/std::vector use, and
// static constructors with init_priority whose order is printed.
#include <cstdio>
#include <map>

#include "shapes.h"

namespace {
struct Registrar {
    explicit Registrar(const char *who) { record_init(who); }
};
// Priorities interleave with b.cpp's: expected order b-150, a-200, b-300,
// then default-priority objects (a before b is not guaranteed, so only one).
Registrar a_early __attribute__((init_priority(200)))("a:200");
Registrar a_default("a:default");
}  // namespace

// Function-local static: constructed on first use, whichever TU's static
// constructor runs first.
std::vector<std::string> &order_storage() {
    static std::vector<std::string> order;
    return order;
}

void record_init(const char *who) { order_storage().push_back(who); }
const std::vector<std::string> &init_order() { return order_storage(); }

int main() {
    std::string joined;
    for (const auto &who : init_order()) joined += (joined.empty() ? "" : " ") + who;
    std::printf("init order: %s\n", joined.c_str());

    std::vector<std::unique_ptr<Shape>> shapes;
    shapes.push_back(make_shape("square", 3));
    shapes.push_back(make_shape("circle", 1));
    shapes.push_back(make_shape("triangle", 4));
    std::map<std::string, double> areas;
    for (const auto &s : shapes) areas[s->name()] = s->area();
    for (const auto &[name, area] : areas) std::printf("area %s = %.4f\n", name.c_str(), area);

    std::map<std::string, int> counts;
    std::string text = "to be or not to be that is the question";
    std::string word;
    for (char c : text + " ") {
        if (c == ' ') {
            if (!word.empty()) counts[word]++;
            word.clear();
        } else {
            word += c;
        }
    }
    std::string summary;
    for (const auto &[w, n] : counts)
        if (n > 1) summary += w + "=" + std::to_string(n) + " ";
    std::printf("repeated words: %s\n", summary.c_str());
    std::printf("cpp done\n");
    return 0;
}
