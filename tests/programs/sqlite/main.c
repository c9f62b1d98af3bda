/* SQLite driver for the real-program link tests: an in-memory database,
 * a table, inserts through a prepared statement, a select and an aggregate.
 * Output is deterministic; every failure prints and exits with 1. */
#include <stdio.h>
#include <stdlib.h>
#include "sqlite3.h"

static sqlite3 *db;

static void check(int rc, const char *what) {
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
        printf("error in %s: %s\n", what, sqlite3_errmsg(db));
        exit(1);
    }
}

static int print_row(void *tag, int ncols, char **values, char **names) {
    printf("%s:", (const char *)tag);
    for (int i = 0; i < ncols; i++)
        printf(" %s=%s", names[i], values[i] ? values[i] : "NULL");
    printf("\n");
    return 0;
}

int main(void) {
    static const struct { const char *name; int qty; double price; } items[] = {
        {"apple", 3, 0.5},   {"banana", 12, 0.25}, {"cherry", 200, 0.05},
        {"durian", 1, 7.75}, {"elderberry", 40, 0.2},
    };
    printf("sqlite version %s\n", sqlite3_libversion());
    check(sqlite3_open(":memory:", &db), "open");
    check(sqlite3_exec(db,
                       "CREATE TABLE items(id INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                       " qty INTEGER, price REAL)",
                       0, 0, 0),
          "create");
    sqlite3_stmt *ins;
    check(sqlite3_prepare_v2(db, "INSERT INTO items(name, qty, price) VALUES(?1, ?2, ?3)", -1,
                             &ins, 0),
          "prepare insert");
    for (size_t i = 0; i < sizeof items / sizeof items[0]; i++) {
        sqlite3_bind_text(ins, 1, items[i].name, -1, SQLITE_STATIC);
        sqlite3_bind_int(ins, 2, items[i].qty);
        sqlite3_bind_double(ins, 3, items[i].price);
        check(sqlite3_step(ins), "insert");
        sqlite3_reset(ins);
    }
    sqlite3_finalize(ins);

    check(sqlite3_exec(db, "SELECT id, name, qty, price FROM items ORDER BY name DESC", print_row,
                       "row", 0),
          "select");

    sqlite3_stmt *agg;
    check(sqlite3_prepare_v2(db,
                             "SELECT count(*), sum(qty), avg(price), total(qty * price)"
                             " FROM items WHERE qty > 1",
                             -1, &agg, 0),
          "prepare aggregate");
    check(sqlite3_step(agg), "aggregate");
    printf("aggregate: count=%d sum=%lld avg=%.4f total=%.3f\n", sqlite3_column_int(agg, 0),
           sqlite3_column_int64(agg, 1), sqlite3_column_double(agg, 2),
           sqlite3_column_double(agg, 3));
    sqlite3_finalize(agg);

    check(sqlite3_exec(db,
                       "SELECT upper(name) AS shout, length(name) AS len, printf('%.2f', price*qty)"
                       " AS cost FROM items WHERE name LIKE '%e%' ORDER BY len, shout",
                       print_row, "fn", 0),
          "functions");
    check(sqlite3_close(db), "close");
    printf("sqlite done\n");
    return 0;
}
