package textkit

import "strings"

// StemEN is a light English stemmer for search: plurals ("carers" -> "carer",
// "families" -> "family", "classes" -> "class"), and "-ing" and "-ed" endings
// ("supporting", "supported" -> "support"; "running" -> "run"). It
// keeps words of three letters or fewer, and words ending in -ss, -us or -is.
func StemEN(w string) string {
	if len(w) <= 3 {
		return w
	}
	switch {
	case strings.HasSuffix(w, "ies") && len(w) > 4:
		w = w[:len(w)-3] + "y"
	case strings.HasSuffix(w, "sses"), strings.HasSuffix(w, "shes"), strings.HasSuffix(w, "ches"), strings.HasSuffix(w, "xes"):
		w = w[:len(w)-2]
	case strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is"):
		w = w[:len(w)-1]
	}
	for _, sfx := range []string{"ing", "ed"} {
		if !strings.HasSuffix(w, sfx) {
			continue
		}
		base := w[:len(w)-len(sfx)]
		if len(base) < 3 || !hasVowel(base) {
			break
		}
		n := len(base)
		if n >= 2 && base[n-1] == base[n-2] && strings.IndexByte("lsz", base[n-1]) < 0 && !isVowel(base[n-1]) {
			base = base[:n-1]
		}
		return base
	}
	return w
}

func hasVowel(s string) bool { return strings.IndexAny(s, "aeiouy") >= 0 }
