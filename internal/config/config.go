// Package config reads Rangkul's settings from command-line flags and RANGKUL_*
// environment variables, once, and checks them before anything starts.
package config

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
)

// Config is every setting of a running Rangkul.
type Config struct {
	Addr          string // listen address, HOST:PORT
	DataDir       string // where the embedded SQLite database lives
	DatabaseURL   string // sqlite:PATH or postgres://...; wins over DataDir
	Region        string // ISO 3166-1 alpha-2 code of the deployment's region (crisis lines)
	Lang          string // default interface language
	SecureCookies bool   // set when TLS ends at a proxy in front of Rangkul
	LogLevel      string // debug, info, warn, error
	// Keys is the key ring sealing sensitive fields ("id:base64,..."); empty
	// means the one kept in DataDir/keys, created on first start.
	Keys string
	// PublicURL is the address people reach this Rangkul at, for links in
	// e-mail; empty means http://Addr.
	PublicURL string
	// SMTPURL and MailFrom configure outgoing e-mail; without SMTPURL no
	// e-mail is sent (everyone still gets in-app notices).
	SMTPURL, MailFrom string
}

// Flags registers the settings on fs, with defaults from the environment.
func Flags(fs *flag.FlagSet) *Config {
	c := &Config{}
	fs.StringVar(&c.Addr, "addr", env("RANGKUL_ADDR", "127.0.0.1:8080"), "listen address HOST:PORT (RANGKUL_ADDR)")
	fs.StringVar(&c.DataDir, "data", env("RANGKUL_DATA", "rangkul-data"), "data directory for the embedded SQLite database (RANGKUL_DATA)")
	c.DatabaseURL = os.Getenv("RANGKUL_DATABASE_URL")
	fs.StringVar(&c.Region, "region", env("RANGKUL_REGION", "ID"), "region code for crisis lines, e.g. ID or GB (RANGKUL_REGION)")
	fs.StringVar(&c.Lang, "lang", env("RANGKUL_LANG", "id"), "default interface language (RANGKUL_LANG)")
	c.SecureCookies = os.Getenv("RANGKUL_SECURE_COOKIES") == "1"
	c.Keys = os.Getenv("RANGKUL_KEYS")
	c.PublicURL = strings.TrimSuffix(os.Getenv("RANGKUL_PUBLIC_URL"), "/")
	c.SMTPURL = os.Getenv("RANGKUL_SMTP_URL")
	c.MailFrom = env("RANGKUL_MAIL_FROM", "rangkul@localhost")
	fs.StringVar(&c.LogLevel, "log-level", env("RANGKUL_LOG_LEVEL", "info"), "log level: debug, info, warn, error (RANGKUL_LOG_LEVEL)")
	return c
}

func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// Validate checks the settings and fills the database URL from the data
// directory when none is given.
func (c *Config) Validate() error {
	var errs []error
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		errs = append(errs, fmt.Errorf("--addr %q: want HOST:PORT", c.Addr))
	}
	if c.DatabaseURL == "" {
		if c.DataDir == "" {
			errs = append(errs, errors.New("--data is empty"))
		}
		c.DatabaseURL = "sqlite:" + filepath.Join(c.DataDir, "rangkul.db")
	} else if !strings.HasPrefix(c.DatabaseURL, "sqlite:") && !strings.HasPrefix(c.DatabaseURL, "postgres://") &&
		!strings.HasPrefix(c.DatabaseURL, "postgresql://") {
		errs = append(errs, errors.New("RANGKUL_DATABASE_URL must start with sqlite: or postgres://"))
	}
	if c.PublicURL == "" {
		c.PublicURL = "http://" + c.Addr
	}
	c.Region = strings.ToUpper(c.Region)
	if len(c.Region) != 2 {
		errs = append(errs, fmt.Errorf("--region %q: want a two-letter country code", c.Region))
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("--log-level %q: want debug, info, warn or error", c.LogLevel))
	}
	return errors.Join(errs...)
}
