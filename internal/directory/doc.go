// Package directory is the public face of the services directory (D1):
// the search pages at /services (words in Indonesian and English forms,
// cost, language, online or in person, open now, taxonomy term and
// distance from a place), a page per service with everything a person
// needs to go there, "report a problem with this listing", and the
// coordinators' curation: a list by last-verified date, editing listings
// through HSDS validation, "mark verified today" and the queue of reported
// problems. The listings themselves are kept by package hsds.
package directory
