// Package admin is the admin area: organisations, people and their roles, and
// the audit log. Network administrators see everything; an organisation's
// administrators see and manage their own organisation's people.
package admin
