package textkit

import (
	"sort"
	"strings"
)

// SearchTerms turns text into the terms stored for searching it: each word's
// Indonesian and English stems (both, since a text may mix the languages and
// a loanword can follow either), de-duplicated and space-separated. Store it in
// a column that the database indexes (see db.SearchMatch).
func SearchTerms(text string) string {
	seen := map[string]bool{}
	var out []string
	for _, w := range Words(text) {
		for _, s := range variants(w) {
			if !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	return strings.Join(out, " ")
}

// Query turns what a person typed into groups of terms: every group must
// match, any term within a group may (the word's Indonesian or English stem).
func Query(typed string) [][]string {
	var q [][]string
	seen := map[string]bool{}
	for _, w := range Words(typed) {
		if seen[w] {
			continue
		}
		seen[w] = true
		q = append(q, variants(w))
	}
	return q
}

func variants(w string) []string {
	id, en := StemID(w), StemEN(w)
	if id == en {
		return []string{id}
	}
	v := []string{id, en}
	sort.Strings(v)
	return v
}
