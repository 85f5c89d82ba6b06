// Package db opens Rangkul's storage on SQLite or PostgreSQL behind one SQL text,
// applies the embedded numbered migrations, maps driver errors to the project's
// sentinels and names the few places where the two engines differ.
package db
