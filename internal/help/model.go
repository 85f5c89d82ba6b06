package help

import "time"

// Line is one crisis or helpline contact for a region.
type Line struct {
	ID           int64
	Region       string // ISO 3166-1 alpha-2, e.g. "ID", "GB"
	Name         string
	Contact      string // what to call, text or open: "119 ext. 8"
	URL          string
	Hours        string
	NoteEN       string
	NoteID       string
	SortOrder    int
	LastVerified time.Time
	UpdatedAt    time.Time
}

// Note returns the note in lang, falling back to English.
func (l Line) Note(lang string) string {
	if lang == "id" && l.NoteID != "" {
		return l.NoteID
	}
	return l.NoteEN
}

// Regions the product knows how to name.
var Regions = []string{"ID", "GB"}
