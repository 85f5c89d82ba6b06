package safety

import "github.com/rangkul/rangkul/internal/secret"

// SealedColumns describes the safety feature's sealed columns, for key
// rotation. Each value is bound to "prefix:id" (see aad).
func SealedColumns() []secret.Column {
	return []secret.Column{
		secret.ByID("escalations", "excerpt_sealed", "escalation"),
		secret.ByID("escalation_notes", "body_sealed", "escalation_note"),
		secret.ByID("reports", "detail_sealed", "report"),
		secret.ByID("moderation_actions", "appeal_sealed", "moderation_appeal"),
		secret.ByID("conflict_cases", "summary_sealed", "conflict_case"),
		secret.ByID("conflict_cases", "agreed_sealed", "conflict_case_agreed"),
		secret.ByID("conflict_cases", "outcome_sealed", "conflict_case_outcome"),
		secret.ByID("conflict_notes", "body_sealed", "conflict_note"),
	}
}
