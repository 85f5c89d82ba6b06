// Package library is the resource library (D4): articles, guides, webinars
// and links in Indonesian or English, by topic, written in Markdown by an
// organisation's coordinators and administrators, approved by a colleague
// who did not write them, and readable and searchable by anyone once
// published.
package library
