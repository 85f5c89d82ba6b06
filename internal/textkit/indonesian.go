package textkit

import "strings"

// StemID reduces an Indonesian word (folded, lower-case) to a stem by removing
// particles (-lah, -kah, -tah, -pun), possessives (-ku, -mu, -nya), derivational
// suffixes (-kan, -an, -i) and prefixes (meN-, peN-, ber-, ter-, di-, and the
// confix ke-...-an), undoing the nasal sound changes of meN- and peN-. A stem
// shorter than four letters is never produced from a longer word: the word is
// then kept, which protects roots such as "makan", "jalan" and "terapi".
func StemID(w string) string {
	if len([]rune(w)) < 4 {
		return w
	}
	stem := w
	for _, p := range []string{"lah", "kah", "tah", "pun"} {
		if s, ok := cut(stem, p); ok {
			stem = s
			break
		}
	}
	for _, p := range []string{"nya", "ku", "mu"} {
		if s, ok := cut(stem, p); ok {
			stem = s
			break
		}
	}
	// Prefixes first, remembering which, because whether a suffix may go
	// depends on them.
	root, prefix := stripPrefix(stem)
	if prefix == "" {
		// Without a prefix only the clearest suffixes go: "-an" after a
		// long enough base ("layanan" -> "layan", "harian" -> "hari") and
		// "-kan".
		for _, sfx := range []string{"kan", "an"} {
			if s, ok := cut(root, sfx); ok {
				return s
			}
		}
		return root
	}
	if prefix == "ke" {
		// ke- is a prefix here only as the confix ke-...-an (kecemasan).
		if s, ok := cut(root, "an"); ok {
			return s
		}
		return stem
	}
	for _, sfx := range []string{"kan", "an", "i"} {
		if s, ok := cut(root, sfx); ok {
			return s
		}
	}
	return root
}

// cut removes suffix from w when at least four letters remain.
func cut(w, suffix string) (string, bool) {
	if !strings.HasSuffix(w, suffix) {
		return w, false
	}
	s := strings.TrimSuffix(w, suffix)
	if len([]rune(s)) < 4 {
		return w, false
	}
	return s, true
}

func isVowel(c byte) bool { return strings.IndexByte("aeiou", c) >= 0 }

// stripPrefix removes one derivational prefix (two for peR-/ber- stacked on
// another, as in "memperbaiki") and returns the rest and the prefix removed.
func stripPrefix(w string) (string, string) {
	try := func(rest, prefix string) (string, string, bool) {
		if len([]rune(rest)) < 4 {
			return w, "", false
		}
		return rest, prefix, true
	}
	switch {
	case strings.HasPrefix(w, "meng") || strings.HasPrefix(w, "peng"):
		rest := w[4:]
		if rest != "" && (isVowel(rest[0]) || strings.IndexByte("ghk", rest[0]) >= 0) {
			if r, p, ok := try(rest, w[:2]+"N"); ok {
				return r, p
			}
		}
	case strings.HasPrefix(w, "meny") || strings.HasPrefix(w, "peny"):
		rest := w[4:]
		if rest != "" && isVowel(rest[0]) {
			if r, p, ok := try("s"+rest, w[:2]+"N"); ok {
				return r, p
			}
		}
	case strings.HasPrefix(w, "mem") || strings.HasPrefix(w, "pem"):
		rest := w[3:]
		if strings.HasPrefix(rest, "per") { // memper-, as in memperbaiki
			if r, p, ok := try(rest[3:], "memper"); ok {
				return r, p
			}
		}
		if rest != "" && strings.IndexByte("bfpv", rest[0]) >= 0 {
			if r, p, ok := try(rest, w[:2]+"N"); ok {
				return r, p
			}
		}
		if rest != "" && isVowel(rest[0]) {
			if r, p, ok := try("p"+rest, w[:2]+"N"); ok {
				return r, p
			}
		}
	case strings.HasPrefix(w, "men") || strings.HasPrefix(w, "pen"):
		rest := w[3:]
		if rest != "" && strings.IndexByte("cdjtsz", rest[0]) >= 0 {
			if r, p, ok := try(rest, w[:2]+"N"); ok {
				return r, p
			}
		}
		if rest != "" && isVowel(rest[0]) {
			if r, p, ok := try("t"+rest, w[:2]+"N"); ok {
				return r, p
			}
		}
	case strings.HasPrefix(w, "me") || strings.HasPrefix(w, "pe"):
		rest := w[2:]
		if rest != "" && strings.IndexByte("lmnrwy", rest[0]) >= 0 {
			if r, p, ok := try(rest, w[:2]); ok {
				return r, p
			}
		}
	case strings.HasPrefix(w, "ber"):
		if r, p, ok := try(w[3:], "ber"); ok {
			return r, p
		}
	case strings.HasPrefix(w, "bel") && strings.HasPrefix(w[3:], "ajar"):
		return w[3:], "ber"
	case strings.HasPrefix(w, "ter"):
		if r, p, ok := try(w[3:], "ter"); ok {
			return r, p
		}
	case strings.HasPrefix(w, "di"):
		rest := w[2:]
		// Loanwords such as "diskusi" and "distribusi" begin with a
		// consonant pair after di-; an Indonesian di- verb does not.
		if len(rest) >= 2 && !isVowel(rest[0]) && !isVowel(rest[1]) && rest[1] != 'y' && rest[:2] != "ng" && rest[:2] != "ny" {
			return w, ""
		}
		if r, p, ok := try(rest, "di"); ok {
			return r, p
		}
	case strings.HasPrefix(w, "ke"):
		if r, p, ok := try(w[2:], "ke"); ok {
			return r, p
		}
	}
	return w, ""
}
