// Package evaluation shows what a network's groups achieve (C4-C6):
// dashboards per group, organisation and network (reach, attendance,
// retention by cohort, paired outcome change with reliable change and effect
// sizes, well-being indicators and feedback), printable reports for sponsors
// and partners, and pseudonymised research exports (tidy CSV and FHIR R4
// QuestionnaireResponse bundles) of consented data only.
//
// It reads the groups' and outcomes' tables read-only with aggregate SQL;
// figures built from fewer than MinCell people are suppressed for everyone
// but a group's own facilitators, and nothing here opens a person's answers
// except an export, one response at a time.
package evaluation
