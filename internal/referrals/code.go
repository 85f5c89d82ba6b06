package referrals

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"sync"
	"time"
)

// codeAlphabet has no letters or digits that look alike on paper (no I, L,
// O, 0, 1): 31 symbols, so an 8-symbol code carries about 39.6 bits.
const codeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

// codeLen is the length of an invitation code, without its dash.
const codeLen = 8

// newCode returns a fresh invitation code, written "ABCD-EFGH".
func newCode() string {
	var b [codeLen]byte
	out := make([]byte, 0, codeLen+1)
	for i := 0; i < codeLen; {
		if _, err := rand.Read(b[:1]); err != nil {
			panic("referrals: no randomness: " + err.Error())
		}
		// 248 is the largest multiple of 31 under 256: rejecting bytes above
		// it keeps every symbol equally likely.
		if b[0] >= 248 {
			continue
		}
		if i == 4 {
			out = append(out, '-')
		}
		out = append(out, codeAlphabet[int(b[0])%len(codeAlphabet)])
		i++
	}
	return string(out)
}

// normaliseCode reads a code as a person types it: any case, with or
// without the dash or spaces. It returns "" for anything that cannot be a
// code.
func normaliseCode(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch {
		case r == '-' || r == ' ' || r == '\t':
			continue
		case strings.ContainsRune(codeAlphabet, r):
			b.WriteRune(r)
		default:
			return ""
		}
	}
	if b.Len() != codeLen {
		return ""
	}
	return b.String()
}

// hashCode is what is stored of a code. The codes are random, so a fast hash
// is enough (as for recovery codes).
func hashCode(normalised string) string {
	sum := sha256.Sum256([]byte("referral:" + normalised))
	return hex.EncodeToString(sum[:])
}

// claimLimit bounds wrong codes per person: MaxTries within Window.
type claimLimit struct {
	mu       sync.Mutex
	fails    map[int64][]time.Time
	MaxTries int
	Window   time.Duration
}

func newClaimLimit() *claimLimit {
	return &claimLimit{fails: map[int64][]time.Time{}, MaxTries: 10, Window: time.Hour}
}

// blocked reports whether the person has used up their tries.
func (l *claimLimit) blocked(userID int64, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.prune(userID, now)
	return len(l.fails[userID]) >= l.MaxTries
}

// fail counts a wrong code.
func (l *claimLimit) fail(userID int64, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.prune(userID, now)
	l.fails[userID] = append(l.fails[userID], now)
}

func (l *claimLimit) prune(userID int64, now time.Time) {
	kept := l.fails[userID][:0]
	for _, t := range l.fails[userID] {
		if now.Sub(t) < l.Window {
			kept = append(kept, t)
		}
	}
	if len(kept) == 0 {
		delete(l.fails, userID)
		return
	}
	l.fails[userID] = kept
}
