// Package textkit holds the language tools several features share: folding
// text to a comparable form, splitting it into words, and stemming Indonesian
// and English words, so that a search for "cemas" finds "kecemasan" and
// "carers" finds "carer" on both database engines alike.
//
// The stemmers are rule-based and written for search: the same rules run on
// the stored text and on the query, so what matters most is that related forms
// meet at one stem, not that every stem is a dictionary word.
package textkit
