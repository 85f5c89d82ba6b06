// Package auth is Rangkul's identity kit: accounts with a username (e-mail
// optional), argon2id passwords, recovery codes, server-side sessions,
// organisations, roles scoped to an organisation, and the permission checks that
// every service method makes. Its pages live in the account and admin features.
package auth
