// Package secret seals sensitive fields before they are stored (B5): AES-256-GCM
// with a key ring, so keys can be rotated: the first key seals, every key in the
// ring opens. Each sealed value is bound to the row it belongs to by additional
// data (for example "session_note:42"), so a sealed value copied into another
// row does not open.
package secret

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Box seals and opens values with a key ring.
type Box struct {
	keys   map[string]cipher.AEAD
	active string
}

// ErrOpen means a sealed value could not be opened: unknown key, wrong row, or
// tampered bytes.
var ErrOpen = errors.New("secret: cannot open sealed value")

// Parse reads a key ring "id1:base64key,id0:base64key" (32-byte keys; the first
// seals). Ids are short names made of letters and digits.
func Parse(spec string) (*Box, error) {
	b := &Box{keys: map[string]cipher.AEAD{}}
	for _, part := range strings.Split(strings.TrimSpace(spec), ",") {
		id, enc, ok := strings.Cut(strings.TrimSpace(part), ":")
		if !ok || id == "" || strings.ContainsAny(id, ":.,") {
			return nil, fmt.Errorf("secret: key %q must be ID:BASE64", part)
		}
		key, err := base64.StdEncoding.DecodeString(enc)
		if err != nil || len(key) != 32 {
			return nil, fmt.Errorf("secret: key %s must be 32 bytes in base64", id)
		}
		block, err := aes.NewCipher(key)
		if err != nil {
			return nil, err
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, err
		}
		if _, dup := b.keys[id]; dup {
			return nil, fmt.Errorf("secret: key id %s given twice", id)
		}
		b.keys[id] = aead
		if b.active == "" {
			b.active = id
		}
	}
	if b.active == "" {
		return nil, errors.New("secret: empty key ring")
	}
	return b, nil
}

// NewKey returns a fresh key ring entry "id:base64key".
func NewKey(id string) string {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		panic("secret: no randomness: " + err.Error())
	}
	return id + ":" + base64.StdEncoding.EncodeToString(key)
}

// LoadOrCreate returns the key ring in spec when given, else the one kept in
// dir/keys, creating that file (mode 0600) with a new key on first use.
func LoadOrCreate(spec, dir string) (*Box, bool, error) {
	if strings.TrimSpace(spec) != "" {
		b, err := Parse(spec)
		return b, false, err
	}
	path := filepath.Join(dir, "keys")
	raw, err := os.ReadFile(path)
	if err == nil {
		b, err := Parse(string(raw))
		return b, false, err
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, false, fmt.Errorf("secret: read %s: %w", path, err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, false, err
	}
	line := NewKey("k1")
	if err := os.WriteFile(path, []byte(line+"\n"), 0o600); err != nil {
		return nil, false, fmt.Errorf("secret: write %s: %w", path, err)
	}
	b, err := Parse(line)
	return b, true, err
}

// Seal encrypts plaintext for the row named by aad.
func (b *Box) Seal(plaintext, aad string) string {
	aead := b.keys[b.active]
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		panic("secret: no randomness: " + err.Error())
	}
	ct := aead.Seal(nonce, nonce, []byte(plaintext), []byte(aad))
	return b.active + ":" + base64.RawStdEncoding.EncodeToString(ct)
}

// Open decrypts a value sealed for the row named by aad.
func (b *Box) Open(sealed, aad string) (string, error) {
	id, enc, ok := strings.Cut(sealed, ":")
	aead := b.keys[id]
	if !ok || aead == nil {
		return "", ErrOpen
	}
	raw, err := base64.RawStdEncoding.DecodeString(enc)
	if err != nil || len(raw) < aead.NonceSize() {
		return "", ErrOpen
	}
	pt, err := aead.Open(nil, raw[:aead.NonceSize()], raw[aead.NonceSize():], []byte(aad))
	if err != nil {
		return "", ErrOpen
	}
	return string(pt), nil
}
