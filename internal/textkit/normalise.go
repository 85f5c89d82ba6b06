package textkit

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Fold lower-cases s and removes accents ("Café" becomes "cafe"), keeping
// letters, digits and everything else as they are.
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// Words splits folded text into words of letters and digits. A word joined by
// hyphens is one token, except Indonesian reduplication ("anak-anak",
// "teman-temannya"), which is reduced to its first half, the plural's base.
func Words(s string) []string {
	s = Fold(s)
	var out []string
	start := -1
	flush := func(end int) {
		if start < 0 {
			return
		}
		w := strings.Trim(s[start:end], "-")
		start = -1
		if w == "" {
			return
		}
		if first, rest, ok := strings.Cut(w, "-"); ok {
			if strings.HasPrefix(rest, first) || strings.HasPrefix(first, rest) {
				w = first
			} else {
				for _, part := range strings.Split(w, "-") {
					if part != "" {
						out = append(out, part)
					}
				}
				return
			}
		}
		out = append(out, w)
	}
	for i, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || (r == '-' && start >= 0) {
			if start < 0 {
				start = i
			}
			continue
		}
		flush(i)
	}
	flush(len(s))
	return out
}
