// The SQLite schema as ordered migrations (docs/store.md lists the tables).
// Append new migrations; never edit a released one.
#ifndef ACCORD_STORE_SQLITE_SQLITE_SCHEMA_H_
#define ACCORD_STORE_SQLITE_SQLITE_SCHEMA_H_

#include <span>

#include "store/internal/migrate.h"

namespace accord::store::sqlite {

std::span<const internal::Migration> SqliteMigrations();

}  // namespace accord::store::sqlite

#endif  // ACCORD_STORE_SQLITE_SQLITE_SCHEMA_H_
