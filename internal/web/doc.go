// Package web is the HTTP kit every feature shares: the router and its route
// table, middleware (security headers, CSP, CSRF protection, sessions, locale,
// gzip, logging, metrics), server-side rendering with the layout and the
// translation catalogues, form decoding and validation messages, flash
// messages, error pages and cache-busted static assets.
package web
