// Package account is the person's side of the auth kit: registering with a
// username only (recovery codes shown once), signing in and out, changing the
// password, recovering with a code, the account page and the language switch.
package account
