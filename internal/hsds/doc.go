// Package hsds is the service directory (D1) kept in the Open Referral Human
// Services Data Specification 3.0 model, and the HSDS exchange (D2):
// organizations, services, locations and their details, stored table by
// table with HSDS field names and the HSDS ids as given; import of HSDS CSV
// folders and JSON documents, validated against the HSDS schemas and applied
// all-or-nothing; export of the CSV tables with datapackage.json; search with
// Indonesian and English word forms, filters, distance and opening hours; and
// the read-only HSDS API under /hsds/.
//
// The public directory pages and curation forms live elsewhere and call this
// package through Store: Search, Service, UpsertService, MarkVerified.
package hsds
