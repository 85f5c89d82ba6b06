package config

import (
	"flag"
	"strings"
	"testing"
)

func TestValidate(t *testing.T) {
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	c := Flags(fs)
	if err := fs.Parse([]string{"--data", "/tmp/r", "--region", "gb"}); err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if c.DatabaseURL != "sqlite:/tmp/r/rangkul.db" || c.Region != "GB" {
		t.Fatalf("got %q %q", c.DatabaseURL, c.Region)
	}
	bad := &Config{Addr: "nope", DataDir: "x", Region: "Indonesia", LogLevel: "loud", DatabaseURL: "mysql://"}
	err := bad.Validate()
	for _, want := range []string{"--addr", "RANGKUL_DATABASE_URL", "--region", "--log-level"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v does not mention %s", err, want)
		}
	}
}
