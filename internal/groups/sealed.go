package groups

import (
	"time"

	"github.com/rangkul/rangkul/internal/secret"
)

// SealedColumns describes the groups feature's sealed columns, for key
// rotation.
func SealedColumns() []secret.Column {
	return []secret.Column{
		{Table: "session_notes", Sealed: "body_sealed", Key: []string{"id", "session_id", "occurrence_start"},
			NewKey: func() []any { return []any{new(int64), new(int64), new(time.Time)} },
			AAD:    func(k []any) string { return noteAAD(*k[1].(*int64), *k[2].(*time.Time)) }},
		{Table: "session_feedback", Sealed: "comment_sealed", Key: []string{"id", "session_id", "occurrence_start", "user_id"},
			NewKey: func() []any { return []any{new(int64), new(int64), new(time.Time), new(int64)} },
			AAD: func(k []any) string {
				return feedbackAAD(*k[1].(*int64), *k[2].(*time.Time), *k[3].(*int64))
			}},
		{Table: "room_moods", Sealed: "comment_sealed", Key: []string{"session_id", "occurrence_start", "user_id", "phase"},
			NewKey: func() []any { return []any{new(int64), new(time.Time), new(int64), new(string)} },
			AAD: func(k []any) string {
				return moodAAD(*k[0].(*int64), *k[1].(*time.Time), *k[2].(*int64), *k[3].(*string))
			}},
	}
}
