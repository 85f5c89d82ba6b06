// Package help keeps the crisis and helpline contacts shown on /help, linked
// from the footer of every page ("Need help now?"). They are data an
// administrator corrects, each with the date it was last checked, because
// numbers change (B1).
package help
