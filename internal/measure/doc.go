// Package measure is how the network measures what its groups do for people
// (C1-C3): the library of validated questionnaires (defined in package
// outcomes) and an organisation's own surveys, measurement plans that ask a
// group's members at baseline, at follow-ups and on leaving, the
// questionnaires each member has due, with reminders, the member's own
// history as a chart, feedback rounds, and the optional facts a member may
// give for research.
//
// Answers are health data: they are sealed per response (answers.go), only
// their owner ever sees them one by one, and totals and bands stay in clear
// for the aggregate views of package evaluation. A PHQ-9 answer above zero on
// item 9 opens the safety path whatever the total.
package measure
