package auth

import "testing"

func TestPasswordHashRoundTrip(t *testing.T) {
	h, err := hashPassword("correct horse battery", HashParams{Memory: 64, Time: 1, Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := checkPassword("correct horse battery", h); !ok || err != nil {
		t.Fatalf("right password refused: %v", err)
	}
	if ok, _ := checkPassword("correct horse battery!", h); ok {
		t.Fatal("wrong password accepted")
	}
	h2, _ := hashPassword("correct horse battery", HashParams{Memory: 64, Time: 1, Threads: 1})
	if h == h2 {
		t.Fatal("two hashes of one password are equal: salt missing")
	}
	for _, bad := range []string{"", "$argon2id$v=19$m=64,t=1,p=1$$", "$bcrypt$x", "$argon2id$v=19$m=x$a$b"} {
		if _, err := checkPassword("x", bad); err == nil {
			t.Errorf("malformed hash %q accepted", bad)
		}
	}
}

func TestRecoveryCodeNormalising(t *testing.T) {
	c := newRecoveryCode()
	for _, typed := range []string{c, " " + c + " ", stringsUpper(c), stringsNoDash(c)} {
		if got := normaliseRecoveryCode(typed); got != c {
			t.Errorf("normalise(%q) = %q, want %q", typed, got, c)
		}
	}
	if normaliseRecoveryCode("too-short") != "" {
		t.Error("short code normalised")
	}
}

func stringsUpper(s string) string {
	b := []byte(s)
	for i, x := range b {
		if x >= 'a' && x <= 'z' {
			b[i] = x - 32
		}
	}
	return string(b)
}

func stringsNoDash(s string) string {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] != '-' {
			out = append(out, s[i])
		}
	}
	return string(out)
}
