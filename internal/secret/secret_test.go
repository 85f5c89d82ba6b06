package secret

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSealOpenRotate(t *testing.T) {
	old := NewKey("k1")
	b1, err := Parse(old)
	if err != nil {
		t.Fatal(err)
	}
	sealed := b1.Seal("Catatan fasilitator: Arif terlihat lelah.", "session_note:7")
	if strings.Contains(sealed, "Arif") {
		t.Fatal("plaintext visible in the sealed value")
	}
	if got, err := b1.Open(sealed, "session_note:7"); err != nil || got != "Catatan fasilitator: Arif terlihat lelah." {
		t.Fatalf("open: %q %v", got, err)
	}
	if _, err := b1.Open(sealed, "session_note:8"); !errors.Is(err, ErrOpen) {
		t.Fatal("a value moved to another row opened")
	}
	tampered := sealed[:len(sealed)-2] + "AA"
	if _, err := b1.Open(tampered, "session_note:7"); !errors.Is(err, ErrOpen) {
		t.Fatal("tampered value opened")
	}
	// Rotation: a new first key seals; the old one still opens.
	b2, err := Parse(NewKey("k2") + "," + old)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := b2.Open(sealed, "session_note:7"); err != nil || !strings.HasPrefix(got, "Catatan") {
		t.Fatalf("old value after rotation: %v", err)
	}
	if !strings.HasPrefix(b2.Seal("x", "a"), "k2:") {
		t.Fatal("the first key must seal")
	}
	if _, err := b1.Open(b2.Seal("x", "a"), "a"); !errors.Is(err, ErrOpen) {
		t.Fatal("a ring without the key opened a value")
	}
}

func TestParseRejectsBadRings(t *testing.T) {
	for _, spec := range []string{"", "k1", "k1:short", "k1:" + strings.Repeat("A", 44) + ",k1:" + strings.Repeat("A", 44), ":abc"} {
		if _, err := Parse(spec); err == nil {
			t.Errorf("Parse(%q) accepted", spec)
		}
	}
}

func TestLoadOrCreateKeepsOneKeyFile(t *testing.T) {
	dir := t.TempDir()
	b1, created, err := LoadOrCreate("", dir)
	if err != nil || !created {
		t.Fatalf("first load: %v %v", created, err)
	}
	info, err := os.Stat(filepath.Join(dir, "keys"))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", info, err)
	}
	b2, created, err := LoadOrCreate("", dir)
	if err != nil || created {
		t.Fatalf("second load: %v %v", created, err)
	}
	if got, err := b2.Open(b1.Seal("sama", "x"), "x"); err != nil || got != "sama" {
		t.Fatal("the second load has another key")
	}
}
