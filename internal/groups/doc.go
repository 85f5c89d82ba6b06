// Package groups is the heart of Rangkul: peer support groups that people
// living with mental illness and their families find in a directory (A1) and
// join under a pseudonym chosen for each group, accepting its house rules, at
// once for open groups or on a facilitator's approval for closed ones (A2).
// Coordinators create their organisation's groups and assign facilitators;
// facilitators keep their group's page and decide on requests to join.
package groups
