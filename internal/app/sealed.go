package app

import (
	"strings"

	"github.com/rangkul/rangkul/internal/directory"
	"github.com/rangkul/rangkul/internal/groups"
	"github.com/rangkul/rangkul/internal/measure"
	"github.com/rangkul/rangkul/internal/mentoring"
	"github.com/rangkul/rangkul/internal/referrals"
	"github.com/rangkul/rangkul/internal/safety"
	"github.com/rangkul/rangkul/internal/secret"
)

// SealedColumns lists every sealed column of every feature, for key rotation
// and `rangkul keys status`. A feature that seals a new column adds it here.
func SealedColumns() []secret.Column {
	cols := append(groups.SealedColumns(), safety.SealedColumns()...)
	cols = append(cols, mentoring.SealedColumns()...)
	cols = append(cols, referrals.SealedColumns()...)
	cols = append(cols, directory.SealedColumns()...)
	cols = append(cols, secret.ByID("outcome_responses", "answers_sealed", strings.TrimSuffix(measure.SealPrefix, ":")))
	return append(cols, secret.ByID("supervision_log", "notes_sealed", "supervision"))
}
